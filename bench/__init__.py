"""The benchmark (see bench/README.md): run bench/run_benchmark.py."""
