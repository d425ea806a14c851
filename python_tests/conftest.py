"""Shared fixtures and small input files; dbt runs go through
tools/dbt_runner.py (run_dbt), the one way tests and the benchmark run dbt."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tools.dbt_runner import SHARED_DATA, DbtRun, run_dbt
from tools.sample_data import COLUMNS

# ---- several isolated dbt runs at once, and small input files
# (used by test_failure_modes.py and test_reruns_and_readers.py) ------------

#: The UCI Online Retail header the project maps by default.
HEADER: tuple[str, ...] = COLUMNS
#: vars of a quick but complete build of a small sample
QUICK_VARS: dict[str, object] = {
    "k_range": [2, 4],
    "n_init": 2,
    "stability_resamples": 2,
    "min_stability_ari": 0,
    # three as-of dates build every history model; the whole history is
    # built by make dbt-test and the real-data builds
    "history_periods": 3,
}
#: `dbt build` of today's segments alone, for tests whose subject is not
#: the history (tag:history: the segments over time)
WITHOUT_HISTORY = ["--exclude", "tag:history"]
#: `dbt build` of seeds and models only, for tests whose subject is not the
#: data and unit tests (make dbt-test and the real-data builds run those)
MODELS_ONLY = [
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
]


def run_dbt_many(
    runs: Sequence[tuple[Sequence[str], Path, dict | None]], workers: int = 2
) -> list[DbtRun]:
    """Several isolated dbt runs (args, run dir, vars), `workers` at a time;
    results in order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(run_dbt, list(args), path, vars) for args, path, vars in runs
        ]
        return [future.result() for future in futures]


def csv_text(rows: Iterable[Sequence[object]], header: Sequence[str] = HEADER) -> str:
    """CSV text (LF line ends, minimal quoting) of a header and rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(
    path: Path, rows: Iterable[Sequence[object]], header: Sequence[str] = HEADER
) -> Path:
    """Write a small UTF-8 CSV file and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(rows, header), encoding="utf-8", newline="")
    return path


def data_line_count(paths: Iterable[Path]) -> int:
    """Lines below the header of CSV files, as Python's csv module counts."""
    total = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8-sig")
        total += max(len(list(csv.reader(io.StringIO(text, newline="")))) - 1, 0)
    return total


def copy_run_dir(source: Path, target: Path) -> Path:
    """Copy a finished run's database and exports, to build on them again."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "x.duckdb", target / "x.duckdb")
    if (source / "exports").is_dir():
        shutil.copytree(source / "exports", target / "exports")
    return target


def once_per_session(tmp_path_factory, name: str, make):
    """make()'s JSON-able result, made once per test session even when
    pytest-xdist runs the tests in several workers (make test: -n 2): the
    first worker to ask makes it while the others wait, then they all read
    it. A run dir it names is built on by copying it (copy_run_dir)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make()
    # the workers' base temp dirs are popen-gw<n> under one shared parent
    root = tmp_path_factory.getbasetemp().parent
    done = root / f"{name}.json"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            # a skip or a failure is not written down: each worker meets it
            done.write_text(json.dumps(make()))
        return json.loads(done.read_text())


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory) -> Path:
    """A small synthetic transactions file (UCI-shaped gzip CSV)."""
    from tools.sample_data import write_sample

    path = tmp_path_factory.mktemp("sample") / "transactions.csv.gz"
    write_sample(path, n_customers=300, seed=7)
    return path


@pytest.fixture(scope="session")
def built_project(tmp_path_factory, small_sample: Path) -> tuple[Path, dict]:
    """A ``dbt build`` (models only) of the small sample, marts exported as Parquet
    to <run dir>/exports. Returns (run dir, vars); copy the run dir
    (copy_run_dir) before building on it again."""

    def build() -> dict:
        run_dir = tmp_path_factory.mktemp("built")
        vars = {
            **QUICK_VARS,
            "transactions_path": str(small_sample),
            "export_parquet": True,
            "export_path": str(run_dir / "exports"),
        }
        run = run_dbt(["build", *MODELS_ONLY], run_dir, vars)
        assert run.returncode == 0, run.output[-6000:]
        return {"run_dir": str(run_dir), "vars": vars}

    built = once_per_session(tmp_path_factory, "built_project", build)
    return Path(built["run_dir"]), built["vars"]


# ---- the real UCI data (test_real_data.py, and test_spark.py compares it) --

ONLINE_RETAIL = SHARED_DATA / "online_retail.csv.gz"


def build_real_data(
    path, tmp_path_factory, name, extra_vars=None, selection=()
) -> DbtRun:
    """dbt build (every test) of a real data set in its own run dir, of the
    ``selection`` (dbt arguments; all by default); skips when the data is
    absent. The run carries its ``workdir`` and ``vars``."""
    if not path.exists():
        pytest.skip(f"{path} is not here")
    workdir = tmp_path_factory.mktemp(name)
    vars = {"transactions_path": str(path), **(extra_vars or {})}
    run = run_dbt(["build", *selection], workdir, vars=vars)
    assert run.returncode == 0, run.output[-4000:]
    run.workdir = workdir
    run.vars = vars
    return run


@pytest.fixture(scope="session")
def online_retail(tmp_path_factory) -> DbtRun:
    """UCI Online Retail built once per session (a first run: copy its run
    dir before building on it again)."""

    def build() -> dict:
        # with the optional distinct_products, so that it is checked too
        run = build_real_data(
            ONLINE_RETAIL,
            tmp_path_factory,
            "online_retail",
            {"count_distinct_products": True},
        )
        return {
            "returncode": run.returncode,
            "output": run.output,
            "database": str(run.database),
            "workdir": str(run.workdir),
            "vars": run.vars,
        }

    built = once_per_session(tmp_path_factory, "online_retail", build)
    run = DbtRun(built["returncode"], built["output"], Path(built["database"]))
    run.workdir, run.vars = Path(built["workdir"]), built["vars"]
    return run


# ---- the Spark builds (test_spark.py), started once the tests are collected


_spark_builds: dict = {}
#: where pytest-xdist's controller describes the batch it started
SPARK_BATCH_FILE = "spark_builds.json"


def pytest_collection_modifyitems(session, config, items) -> None:
    """test_spark.py last: it waits for the Spark batch, make test's longest
    path, so a worker that reached it early sat idle while other tests
    queued behind it (pytest-xdist hands out whole files in this order)."""
    items.sort(key=lambda item: item.path.name == "test_spark.py")


def pytest_collection_finish(session) -> None:
    """Start the Spark batch at once when test_spark.py's tests will run, so
    that it runs beside the DuckDB tests instead of after them (under
    pytest-xdist the controller starts it: pytest_xdist_node_collection_finished)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    _start_spark_builds(item.nodeid for item in session.items)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids) -> None:
    """pytest-xdist's controller, once a worker has collected: start the
    one Spark batch and describe it in its base temp dir, the parent of
    every worker's (conftest's spark_builds fixture reads it there)."""
    if "started" in _spark_builds:
        return
    started = _start_spark_builds(ids)
    if started is not None:
        root = node.config._tmp_path_factory.getbasetemp()
        (root / SPARK_BATCH_FILE).write_text(json.dumps(started.describe()))


def _start_spark_builds(nodeids):
    from tools.dbt_runner import SPARK_PYTHON

    if SPARK_PYTHON is None or not any(
        Path(nodeid.split("::")[0]).name == "test_spark.py" for nodeid in nodeids
    ):
        return None
    from python_tests.spark_builds import start_spark_builds

    workdir = Path(tempfile.mkdtemp(prefix="spark_builds_"))
    _spark_builds["started"] = start_spark_builds(workdir)
    return _spark_builds["started"]


def pytest_sessionfinish(session, exitstatus) -> None:
    started = _spark_builds.get("started")
    if started is not None:
        started.batch.stop()
        shutil.rmtree(started.warehouse.parents[1], ignore_errors=True)


@pytest.fixture(scope="session")
def spark_batch(tmp_path_factory):
    """The Spark batch (python_tests/spark_builds.py), running or done, not
    waited for: this process's batch, or the one pytest-xdist's controller
    started. Its ``finish()`` waits for the results."""
    from python_tests.spark_builds import SparkBuilds, start_spark_builds

    started = _spark_builds.get("started")
    described = tmp_path_factory.getbasetemp().parent / SPARK_BATCH_FILE
    if started is None and os.environ.get("PYTEST_XDIST_WORKER") and described.exists():
        started = SparkBuilds.watch(json.loads(described.read_text()))
    if started is None:
        started = start_spark_builds(tmp_path_factory.mktemp("spark"))
        _spark_builds["started"] = started
    return started


@pytest.fixture(scope="session")
def spark_builds(spark_batch):
    """The Spark batch's results, waited for."""
    return spark_batch.finish()
