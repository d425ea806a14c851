"""The one way tests and the benchmark run dbt, and read its DuckDB file.

Every run is isolated in its own directory: its DuckDB file (unless given),
DuckDB's temp directory, dbt's target and logs. Tests call :func:`run_dbt`;
the benchmark times :func:`dbt_command` under its own timer with
:func:`isolation_env`; a test that must stop dbt half way starts
:func:`dbt_command` itself with :func:`dbt_env`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
#: The real data sets: ../shared/data relative to the project (read-only).
SHARED_DATA = PROJECT_DIR.parent / "shared" / "data"
# The dbt of the running Python's environment (the project's .venv), so that
# dbt and the code that calls it use the same packages; dbt on PATH otherwise.
_DBT_BESIDE_PYTHON = Path(sys.executable).with_name("dbt")
DBT = str(_DBT_BESIDE_PYTHON) if _DBT_BESIDE_PYTHON.exists() else "dbt"


@dataclass
class DbtRun:
    """The outcome of one dbt command."""

    returncode: int
    output: str
    database: Path

    def query(self, sql: str) -> list[tuple]:
        """Rows of ``sql`` run read-only against the run's database."""
        return query_db(self.database, sql)

    def frame(self, sql: str):
        """``sql`` run read-only against the run's database, as a DataFrame."""
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql).df()


def query_db(database: Path, sql: str) -> list[tuple]:
    """Rows of sql, read-only; the connection is closed again at once."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def isolation_env(run_dir: Path, database: Path | None = None) -> dict[str, str]:
    """The environment variables that isolate a dbt run in run_dir.

    Only the variables this module sets; :func:`dbt_env` adds them to the
    current environment. ``database`` defaults to ``run_dir/x.duckdb``.
    """
    return {
        "SEGMENTATION_DB": str(database or run_dir / "x.duckdb"),
        "SEGMENTATION_DUCKDB_TEMP": str(run_dir / "duckdb_tmp"),
        "DBT_USE_COLORS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # a --profiles-dir on the command line still wins
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
    }


def dbt_env(run_dir: Path, database: Path | None = None) -> dict[str, str]:
    """The environment of a dbt run isolated in run_dir (its own database)."""
    return {**os.environ, **isolation_env(run_dir, database)}


def dbt_command(args: list[str], run_dir: Path, vars: dict | None = None) -> list[str]:
    """The command line of a dbt run whose target and logs live in run_dir."""
    command = [
        DBT,
        *args,
        "--target-path",
        str(run_dir / "target"),
        "--log-path",
        str(run_dir / "logs"),
    ]
    if vars:
        command += ["--vars", json.dumps(vars)]  # JSON is YAML
    return command


#: The Python of the Spark environment (make install-spark), or None.
SPARK_PYTHON: Path | None = next(
    (
        Path(candidate)
        for candidate in (
            os.environ.get("SEGMENTATION_SPARK_PYTHON"),
            PROJECT_DIR / ".venv-spark" / "bin" / "python",
        )
        if candidate and Path(candidate).exists()
    ),
    None,
)


def spark_isolation_env(run_dir: Path) -> dict[str, str]:
    """:func:`isolation_env` for the Spark target: also its own warehouse and
    metastore (run_dir/spark)."""
    return {**isolation_env(run_dir), "SEGMENTATION_SPARK_DIR": str(run_dir / "spark")}


def spark_warehouse(run_dir: Path) -> Path:
    """Where a Spark run isolated in run_dir keeps its tables."""
    return run_dir / "spark" / "warehouse"


def spark_dbt_command(
    args: list[str], run_dir: Path, vars: dict | None = None, python: Path | None = None
) -> list[str]:
    """:func:`dbt_command` on the Spark target: run by tools.spark_dbt (which
    runs the Python models in the SparkSession) with the Spark venv's Python."""
    python = python or SPARK_PYTHON
    if python is None:
        raise FileNotFoundError("no Spark environment: run make install-spark")
    return [str(python), "-m", "tools.spark_dbt", *dbt_command(args, run_dir, vars)[1:]]


class SparkBatch:
    """Several dbt commands on the Spark target in one SparkSession (one JVM
    start), running in the background, isolated in workdir. Each command is
    (dbt arguments, vars, name); it writes its tables to the schema ``name``
    and its target and logs to workdir/name. Output goes to files (a pipe
    nobody reads would fill up and stop the batch)."""

    def __init__(
        self, commands: list[tuple[list[str], dict | None, str]], workdir: Path
    ) -> None:
        if SPARK_PYTHON is None:
            raise FileNotFoundError("no Spark environment: run make install-spark")
        workdir.mkdir(parents=True, exist_ok=True)
        batch = workdir / "batch.json"
        batch.write_text(
            json.dumps(
                [
                    {
                        "args": dbt_command(args, workdir / name, vars)[1:],
                        "schema": name,
                    }
                    for args, vars, name in commands
                ]
            )
        )
        self.stdout, self.stderr = workdir / "batch.out", workdir / "batch.err"
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [str(SPARK_PYTHON), "-m", "tools.spark_dbt", "--batch", str(batch)],
                cwd=PROJECT_DIR,
                env={**os.environ, **spark_isolation_env(workdir)},
                stdout=out,
                stderr=err,
                text=True,
            )

    def results(self, timeout: int = 2400) -> list[dict]:
        """Wait for the batch: one {"success", "error"} per command."""
        try:
            self.process.wait(timeout=timeout)
        finally:
            self.stop()
        return batch_results(self.stdout, self.stderr)

    def stop(self) -> None:
        """End the batch if it still runs (its JVM ends with it)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _written_results(stdout: Path) -> list[dict] | None:
    """The results line a batch prints last, once it is wholly written."""
    text = stdout.read_text()
    if "BATCH RESULTS\n" not in text:
        return None
    line, newline, _ = text.split("BATCH RESULTS\n", 1)[1].partition("\n")
    return json.loads(line) if newline else None


def batch_results(stdout: Path, stderr: Path) -> list[dict]:
    """A finished batch's results from its output files."""
    results = _written_results(stdout)
    if results is None:
        output = stdout.read_text() + stderr.read_text()
        raise RuntimeError(f"the Spark batch did not finish:\n{output[-4000:]}")
    return results


@dataclass
class WatchedBatch:
    """A :class:`SparkBatch` another process started (pytest-xdist's
    controller), waited for through its output files and pid."""

    stdout: Path
    stderr: Path
    pid: int

    def _running(self) -> bool:
        try:  # a process that has ended but not been reaped is a zombie: Z
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except FileNotFoundError:
            return False
        return stat.rsplit(")", 1)[1].split()[0] != "Z"

    def results(self, timeout: int = 2400) -> list[dict]:
        deadline = time.monotonic() + timeout
        while (
            _written_results(self.stdout) is None
            and self._running()
            and time.monotonic() < deadline
        ):
            time.sleep(2)
        return batch_results(self.stdout, self.stderr)

    def stop(self) -> None:
        """Its starter stops it."""


def run_dbt(
    args: list[str],
    workdir: Path,
    vars: dict | None = None,
    database: Path | None = None,
    timeout: int = 600,
) -> DbtRun:
    """Run ``dbt <args>`` on the project with its own database, target and logs.

    Every call is isolated in ``workdir`` (database ``workdir/x.duckdb`` unless
    given) so tests never share state with each other or with a developer's
    ``segmentation.duckdb``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    database = database or workdir / "x.duckdb"
    completed = subprocess.run(
        dbt_command(args, workdir, vars),
        cwd=PROJECT_DIR,
        env=dbt_env(workdir, database),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return DbtRun(completed.returncode, completed.stdout + completed.stderr, database)
