"""Running dbt in isolation from tests, and reading its DuckDB file."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT = PROJECT_DIR / ".venv" / "bin" / "dbt"
SHARED_DATA = PROJECT_DIR.parent / "shared" / "data"


@dataclass
class DbtRun:
    """The outcome of one dbt command."""

    returncode: int
    output: str
    database: Path

    def query(self, sql: str):
        """Rows of ``sql`` run read-only against the run's database."""
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    def frame(self, sql: str):
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql).df()


def run_dbt(
    args: list[str],
    workdir: Path,
    vars: dict | None = None,
    database: Path | None = None,
    timeout: int = 600,
) -> DbtRun:
    """Run ``dbt <args>`` on the project with its own database, target and logs.

    Every call is isolated in ``workdir`` so tests never share state with each
    other or with a developer's ``segmentation.duckdb``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    database = database or workdir / "segmentation.duckdb"
    command = [
        str(DBT),
        *args,
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    if vars:
        command += ["--vars", json.dumps(vars)]
    env = {
        **os.environ,
        "SEGMENTATION_DB": str(database),
        "SEGMENTATION_DUCKDB_TEMP": str(workdir / "duckdb_tmp"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    completed = subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return DbtRun(completed.returncode, completed.stdout + completed.stderr, database)
