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
        return query_db(self.database, sql)

    def frame(self, sql: str):
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql).df()


def query_db(database: Path, sql: str) -> list[tuple]:
    """Rows of sql, read-only; the connection is closed again at once."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def dbt_env(run_dir: Path, database: Path | None = None) -> dict[str, str]:
    """The environment of a dbt run isolated in run_dir (its own database)."""
    return {
        **os.environ,
        "SEGMENTATION_DB": str(database or run_dir / "x.duckdb"),
        "SEGMENTATION_DUCKDB_TEMP": str(run_dir / "duckdb_tmp"),
        "DBT_USE_COLORS": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
    }


def dbt_command(args: list[str], run_dir: Path, vars: dict | None = None) -> list[str]:
    """The command line of a dbt run whose target and logs live in run_dir."""
    command = [
        str(DBT),
        *args,
        "--target-path",
        str(run_dir / "target"),
        "--log-path",
        str(run_dir / "logs"),
    ]
    if vars:
        command += ["--vars", json.dumps(vars)]  # JSON is YAML
    return command


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
