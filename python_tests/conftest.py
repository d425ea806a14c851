"""Shared fixtures; the dbt runner itself lives in dbt_runner.py."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from python_tests.dbt_runner import (
    PROJECT_DIR,
    dbt_command,
    dbt_env,
    query_db,
    run_dbt,
)
from tools.sample_data import COLUMNS

__all__ = ["PROJECT_DIR", "dbt_command", "dbt_env", "query_db"]


# ---- isolated dbt runs returning (returncode, output), and small input files
# (used by test_failure_modes.py and test_reruns_and_readers.py) ------------

#: The UCI Online Retail header the project maps by default.
HEADER: tuple[str, ...] = COLUMNS
#: The marts; with var export_parquet each is also <export_path>/<mart>.parquet.
MARTS: tuple[str, ...] = (
    "customer_segments",
    "segment_profiles",
    "cluster_diagnostics",
    "segment_feature_stats",
    "transaction_audit",
)
#: vars of a quick but complete build of a small sample
QUICK_VARS: dict[str, object] = {
    "k_range": [2, 4],
    "n_init": 2,
    "stability_resamples": 2,
    "min_stability_ari": 0,
}


def run_dbt_isolated(
    args: Sequence[str],
    tmp_path: Path,
    vars: dict | None = None,
    timeout: float = 300,
) -> tuple[int, str]:
    """Run dbt from the project directory, isolated in tmp_path (database
    tmp_path/x.duckdb, target, logs); return (returncode, stdout + stderr)."""
    run = run_dbt(list(args), tmp_path, vars, timeout=timeout)
    return run.returncode, run.output


def run_dbt_many(
    runs: Sequence[tuple[Sequence[str], Path, dict | None]], workers: int = 2
) -> list[tuple[int, str]]:
    """Several isolated dbt runs, `workers` at a time; results in order."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(run_dbt_isolated, args, path, vars) for args, path, vars in runs
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


@pytest.fixture(name="run_dbt")
def run_dbt_fixture():
    """``run_dbt(args, tmp_path, vars)`` -> (returncode, combined output)."""
    return run_dbt_isolated


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory) -> Path:
    """A small synthetic transactions file (UCI-shaped gzip CSV)."""
    from tools.sample_data import write_sample

    path = tmp_path_factory.mktemp("sample") / "transactions.csv.gz"
    write_sample(path, n_customers=300, seed=7)
    return path


@pytest.fixture(scope="session")
def built_project(tmp_path_factory, small_sample: Path) -> tuple[Path, dict]:
    """A complete ``dbt build`` of the small sample, marts exported as Parquet
    to <run dir>/exports. Returns (run dir, vars); copy the run dir
    (copy_run_dir) before building on it again."""
    run_dir = tmp_path_factory.mktemp("built")
    vars = {
        **QUICK_VARS,
        "transactions_path": str(small_sample),
        "export_parquet": True,
        "export_path": str(run_dir / "exports"),
    }
    code, output = run_dbt_isolated(["build"], run_dir, vars)
    assert code == 0, output[-6000:]
    return run_dir, vars
