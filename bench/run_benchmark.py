"""Benchmark the project against a bare DuckDB + scikit-learn floor and pandas.

    python bench/run_benchmark.py --lines 1000000 --lines 10000000 --repeat 3
    python bench/run_benchmark.py --ci        # 1M lines, one repeat
    python bench/run_benchmark.py --spark     # and the Spark column

For each N it generates bench/data/lines_<N>.parquet when missing, then runs,
each as its own subprocess timed by /usr/bin/time (wall time and peak RSS):

  (a) the project, today's segments (`--exclude tag:history`, as before the
      history existed; customer value, tag:value, included): `dbt build`
      without tests (seeds + models) and `dbt build` (with data and unit
      tests), vars transactions_path=<file>, n_segments=4, each on a fresh
      DuckDB file, target and log directory; and, as (a'), models only with
      var count_distinct_products: true (the optional extra pass over the
      lines); and, as (a''), models only *warm*: `dbt parse` with the same
      vars ran first (not timed), so `dbt build` uses partial parsing, as
      every daily run after the first does;
  (a0) models only *without* customer value: (a)'s command with `--exclude
      tag:history tag:value segment_profiles` (segment_profiles reads
      customer_value, so it goes too: its own work is then charged to the
      value, and a / a0 slightly overstates the value's cost: the
      conservative side of the issue's target, +15% at 100M lines);
      run right after (a) in each repeat, reported beside it with a - a0 and
      a / a0;
  (h) models only *with* the history (every model tagged `history`), vars
      history_grain=month, history_periods=12: reported beside (a), with
      h - a and h / a;
  (b) the same six commands on the bundled sample (dbt's fixed cost);
  (c) bench/floor.py: the same cleaning, features and fit in bare DuckDB SQL +
      scikit-learn;
  (d) bench/pandas_baseline.py: the notebook way (skipped when it would not
      fit in memory);
  (e) dbt's own fixed cost: `dbt run` of bench/dbt_fixed_cost (three trivial
      models, one a Python model importing scikit-learn), cold and warm, and
      the floor's start-up (Python importing duckdb, numpy, scikit-learn).
      (e) + the floor's data work (c minus its start-up) is the fastest any
      dbt project doing the floor's work could be on this machine: the lower
      bound quoted beside the 10M target.
  (f) bench/score_customers.py: scoring --score-customers (default 1M)
      synthetic customers in Python with segmentation.score, once per
      repeat; the script times the call alone. --score-only runs only (f)
      and updates only its figure in bench/README.md.
  (s) with --spark: (a)'s models-only build (no history) on Spark, `python -m
      tools.spark_dbt` in .venv-spark (skipped with a note when it is
      missing), with a fresh warehouse and metastore: on master local[2] at
      every N and on the sample, and once, at the smallest N, on
      local-cluster[2,1,1536] (two executor JVMs). Its memory is the whole
      process tree's, sampled: /usr/bin/time sees only PySpark's Python, not
      the JVM it starts (see bench/measure.py).

Reports medians of --repeat runs, the ratios (a - b) / c, a / c and
pandas / a, h / a, a / a0 (with --spark also Spark / DuckDB, time and
memory), and writes bench/results/benchmark.md and benchmark.json (--ci:
bench/results/ci/).
Exits non-zero only when a run fails, never on a ratio.

bench/run_benchmark.py is the command line and the order of the runs; the
work is split into bench/measure.py (each run, timed), bench/summary.py
(medians, ratios, lower bound) and bench/render.py (benchmark.md and the
printed summary). dbt runs go through tools/dbt_runner.py, as in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# Run as a script, Python puts bench/ on sys.path, not the project the
# bench and tools packages live in.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generate_data import SOURCE, generate  # noqa: E402
from bench.measure import (  # noqa: E402
    BENCH,
    DBT_VARIANTS,
    EXTRA_ENV,
    FIXED_COST_VARIANTS,
    HISTORY,
    PANDAS_BYTES_PER_LINE,
    PROJECT_VARIANTS,
    SPARK_MASTERS,
    machine_info,
    pandas_skip_reason,
    run_fixed_cost,
    run_project,
    run_score,
    run_script,
    run_spark,
    spark_info,
    spark_skip_reason,
    tail,
)
from bench.render import (  # noqa: E402
    SCORE_END,
    SCORE_START,
    SHORT_END,
    SHORT_START,
    markdown,
    node_table,
    print_score,
    print_summary,
    readme_with_results,
    replace_marked,
    score_section,
    short_table,
)
from bench.summary import (  # noqa: E402
    history_ratios,
    lower_bound,
    median_node_times,
    ratio_spread,
    ratios,
    score_summary,
    spark_ratios,
    summarise,
    value_ratios,
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--lines",
        type=int,
        action="append",
        help="lines per run; repeatable (default 1M)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (median)")
    parser.add_argument(
        "--skip-pandas-above",
        type=int,
        help="skip pandas above this many lines (default: when it would not fit "
        f"in 75%% of RAM at {PANDAS_BYTES_PER_LINE} B/line)",
    )
    parser.add_argument("--ci", action="store_true", help="1M lines, one repeat")
    parser.add_argument(
        "--spark",
        action="store_true",
        help="also the models-only build on Spark: local[2] at every size and "
        "the sample, local-cluster[2,1,1536] once at the smallest size "
        "(skipped with a note when .venv-spark is missing)",
    )
    parser.add_argument(
        "--score-customers",
        type=int,
        default=1_000_000,
        help="customers (f) scores in Python (default 1M)",
    )
    parser.add_argument(
        "--score-only",
        action="store_true",
        help="run only (f), --repeat times; writes score.json and, without "
        "--ci, (f)'s figure in bench/README.md",
    )
    parser.add_argument("--out-dir", type=Path, help="default bench/results")
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data")
    parser.add_argument(
        "--source",
        type=Path,
        default=SOURCE,
        help="the real data the test data repeats "
        "(default: ../shared/data/online_retail.parquet beside the project)",
    )
    parser.add_argument("--keep-tmp", action="store_true", help="keep run directories")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment variable for every run, e.g. OMP_WAIT_POLICY=passive",
    )
    args = parser.parse_args(argv)
    if args.ci:
        args.lines = args.lines or [1_000_000]
        args.repeat = 1
        args.out_dir = args.out_dir or BENCH / "results" / "ci"
    args.lines = sorted(set(args.lines or [1_000_000]))
    args.out_dir = args.out_dir or BENCH / "results"
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--env takes KEY=VALUE, got {item!r}")
        EXTRA_ENV[key] = value
    return args


def write_score_figure(results: dict) -> None:
    """(f)'s figure into bench/README.md, between its own markers."""
    readme = BENCH / "README.md"
    readme.write_text(
        replace_marked(
            readme.read_text(),
            SCORE_START,
            SCORE_END,
            "\n".join(score_section(results)),
        )
    )


def score_only(args, results: dict, record, failures: list[str]) -> int:
    """--score-only: (f) alone, --repeat times."""
    customers = args.score_customers
    runs = [
        record("score", None, "score", repeat, lambda w: run_score(customers, w))
        for repeat in range(args.repeat)
    ]
    results["score"] = score_summary(runs)
    results["machine"]["load_end"] = round(os.getloadavg()[0], 2)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "score.json").write_text(json.dumps(results, indent=1) + "\n")
    if not args.ci and not failures:
        write_score_figure(results)
    print_score(results)
    if failures:
        print("FAILED runs: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    results: dict = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/run_benchmark.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "repeat": args.repeat,
        "env": dict(EXTRA_ENV),
        "machine": machine_info(),
        "runs": [],
    }
    failures = []
    if args.spark:
        skip = spark_skip_reason()
        if skip:
            print(skip)
            results["spark_note"] = skip
            args.spark = False
        else:
            results["spark"] = spark_info()
    scratch = Path(tempfile.mkdtemp(prefix="segbench-"))

    def project_run(variant: str, data: Path | None):
        """What a run of the project does: dbt on DuckDB, or on Spark."""
        if variant in SPARK_MASTERS:
            return lambda w: run_spark(variant, data, w)
        return lambda w: run_project(variant, data, w)

    def record(label: str, lines: int | None, variant: str, repeat: int, fn) -> dict:
        workdir = scratch / f"{label}-{variant}-{repeat}"
        workdir.mkdir(parents=True)
        print(
            f"[{time.perf_counter() - started:6.0f}s] "
            f"{label} {variant} #{repeat + 1} ...",
            end=" ",
            flush=True,
        )
        result = fn(workdir)
        result.update(label=label, lines=lines, variant=variant, repeat=repeat)
        peak = f"{result['peak_kib'] / 2**20:.2f} GiB" if result["peak_kib"] else "?"
        if result.get("tree_peak_kib"):
            peak += f", process tree {result['tree_peak_kib'] / 2**20:.2f} GiB"
        print(
            f"{'ok' if result['rc'] == 0 else 'FAILED'} {result['wall_s']:.1f} s {peak}"
        )
        if result["rc"] != 0:
            failures.append(f"{label} {variant} #{repeat + 1}")
            print(tail(workdir / "output.log"), file=sys.stderr)
        results["runs"].append(result)
        if not args.keep_tmp:
            shutil.rmtree(workdir, ignore_errors=True)
        return result

    try:
        if args.score_only:
            return score_only(args, results, record, failures)
        data_files = {}
        for lines in args.lines:
            out = args.data_dir / f"lines_{lines}.parquet"
            try:
                data_files[lines] = generate(lines, out, args.source)
            except Exception as error:  # noqa: BLE001 - report and go on
                failures.append(f"generate {lines:,}: {error}")
                print(f"generation of {lines:,} lines failed: {error}", file=sys.stderr)

        sample_variants = (
            (*PROJECT_VARIANTS, "spark") if args.spark else PROJECT_VARIANTS
        )
        sample_runs: dict[str, list] = {variant: [] for variant in sample_variants}
        fixed_runs: dict[str, list] = {variant: [] for variant in FIXED_COST_VARIANTS}
        for repeat in range(args.repeat):
            for variant in sample_runs:
                sample_runs[variant].append(
                    record("sample", None, variant, repeat, project_run(variant, None))
                )
            for variant in fixed_runs:
                fixed_runs[variant].append(
                    record(
                        "fixed",
                        None,
                        variant,
                        repeat,
                        lambda w, v=variant: run_fixed_cost(v, w),
                    )
                )
        score_runs = [
            record(
                "score",
                None,
                "score",
                repeat,
                lambda w: run_score(args.score_customers, w),
            )
            for repeat in range(args.repeat)
        ]
        results["score"] = score_summary(score_runs)
        results["sample"] = {v: summarise(r) for v, r in sample_runs.items()}
        results["fixed_cost"] = {v: summarise(r) for v, r in fixed_runs.items()}
        results["sample_history_ratios"] = history_ratios(
            results["sample"], runs=sample_runs
        )
        results["sample_value_ratios"] = value_ratios(
            results["sample"], runs=sample_runs
        )
        if args.spark:
            results["sample_spark_ratios"] = spark_ratios(results["sample"])

        results["sizes"] = {}
        all_runs = {}
        for lines, data in data_files.items():
            label = f"{lines}"
            skip = pandas_skip_reason(lines, args.skip_pandas_above)
            runs: dict[str, list] = {v: [] for v in (*PROJECT_VARIANTS, "floor")}
            if not skip:
                runs["pandas"] = []
            if args.spark:
                runs["spark"] = []
                # one local-cluster run: the smallest size, first repeat
                if lines == min(data_files):
                    runs["spark_cluster"] = []
            for repeat in range(args.repeat):
                for variant in runs:
                    if variant == "spark_cluster" and repeat > 0:
                        continue
                    if variant in (*PROJECT_VARIANTS, *SPARK_MASTERS):
                        fn = project_run(variant, data)
                    else:
                        script = (
                            "floor.py" if variant == "floor" else "pandas_baseline.py"
                        )
                        fn = lambda w, s=script, d=data: run_script(s, d, w)  # noqa: E731
                    runs[variant].append(record(label, lines, variant, repeat, fn))
            size = {v: summarise(r) for v, r in runs.items()}
            size["customers"] = size["floor"]["customers"]
            if skip:
                size["pandas_note"] = skip
            size["ratios"] = ratios(size, results["sample"])
            size["lower_bound"] = lower_bound(size, results["fixed_cost"])
            size["spread"] = {
                v: ratio_spread(runs, results["sample"], v) for v in DBT_VARIANTS
            }
            size["history_ratios"] = history_ratios(size, results["sample"], runs)
            size["value_ratios"] = value_ratios(size, results["sample"], runs)
            if args.spark:
                size["spark_ratios"] = spark_ratios(size)
            mismatch = {
                v: size[v]["customers"]
                for v in runs
                if size[v]["customers"] not in (None, size["customers"])
            }
            if mismatch:
                size["customer_count_mismatch"] = mismatch
                print(f"WARNING: customer counts differ from the floor's: {mismatch}")
            results["sizes"][str(lines)] = size
            all_runs[lines] = runs

        if all_runs:
            largest = max(all_runs)
            largest_runs, largest_size = (
                all_runs[largest],
                results["sizes"][str(largest)],
            )
            results["largest_nodes"] = {
                "lines": largest,
                "node_times_s": median_node_times(largest_runs["tests"]),
                "history_node_times_s": median_node_times(largest_runs[HISTORY]),
                "table": node_table(
                    largest_runs["tests"],
                    largest_size["tests"]["wall_s"],
                    largest_runs[HISTORY],
                    largest_size[HISTORY]["wall_s"],
                ),
            }
    finally:
        if not args.keep_tmp:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"run directories kept in {scratch}")

    results["machine"]["load_end"] = round(os.getloadavg()[0], 2)
    results["duration_s"] = time.perf_counter() - started
    results["failures"] = failures
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "benchmark.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.out_dir / "benchmark.md").write_text(markdown(results))
    if not args.ci:
        # the figures the docs quote come from the run itself, never typed
        readme = BENCH / "README.md"
        readme.write_text(readme_with_results(readme.read_text(), markdown(results)))
        write_score_figure(results)
        front = BENCH.parent / "README.md"
        front.write_text(
            replace_marked(
                front.read_text(), SHORT_START, SHORT_END, short_table(results)
            )
        )
    print_summary(results)
    print(
        f"\nwrote {args.out_dir / 'benchmark.md'} and benchmark.json "
        f"in {results['duration_s'] / 60:.1f} min"
    )
    if failures:
        print("FAILED runs: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
