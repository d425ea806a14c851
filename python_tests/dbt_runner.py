"""Kept so that ``from python_tests.dbt_runner import ...`` still works: the
dbt runner of tests and benchmark is tools/dbt_runner.py."""

from tools.dbt_runner import (
    DBT,
    PROJECT_DIR,
    SHARED_DATA,
    DbtRun,
    dbt_command,
    dbt_env,
    isolation_env,
    query_db,
    run_dbt,
)

__all__ = [
    "DBT",
    "PROJECT_DIR",
    "SHARED_DATA",
    "DbtRun",
    "dbt_command",
    "dbt_env",
    "isolation_env",
    "query_db",
    "run_dbt",
]
