"""Customer segmentation logic used by the dbt Python models."""

import os

# OpenMP threads (scikit-learn's K-Means, BLAS) spin while they wait for
# work. When dbt, DuckDB or a BI refresh busy the same cores, spinning threads
# steal each other's time, many times over (docs/decisions.md). Passive
# waiting must be chosen before the OpenMP runtime loads, so
# it is set here, before anything imports scikit-learn; an explicit setting
# in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def __getattr__(name: str):
    """``segmentation.score(features, model)`` without importing pandas for
    every user of the package: the scoring module loads on first use (it is
    callable, see segmentation/score.py)."""
    if name == "score":
        import importlib

        return importlib.import_module("segmentation.score")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
