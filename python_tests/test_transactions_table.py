"""Var transactions_table: the transactions from a loaded table, not a file.

A warehouse user's transactions are already a table; the project reads it
through the same source, column map and audit as a file (test_spark.py
does the same on Spark).
"""

from __future__ import annotations

import duckdb

from python_tests.conftest import MODELS_ONLY, QUICK_VARS
from tools.dbt_runner import run_dbt
from tools.marts import marts_fingerprint


def test_a_loaded_table_gives_the_same_marts_as_its_file(
    built_project, small_sample, tmp_path
):
    run_dir, file_vars = built_project
    database = tmp_path / "x.duckdb"
    with duckdb.connect(str(database)) as connection:
        # typed columns, as a loader would make them (ids as numbers, dates
        # as timestamps), so the typed parsing is what runs
        connection.execute("create schema raw")
        connection.execute(
            "create table raw.sales as select * from read_csv(?)", [str(small_sample)]
        )
        types = dict(
            connection.execute("describe raw.sales").fetchall()[i][:2] for i in range(8)
        )
    assert types["CustomerID"] != "VARCHAR"

    run = run_dbt(
        ["build", *MODELS_ONLY],
        tmp_path,
        {**QUICK_VARS, "transactions_table": "raw.sales"},
        database,
    )
    assert run.returncode == 0, run.output[-4000:]
    assert marts_fingerprint(database) == marts_fingerprint(run_dir / "x.duckdb")


def test_a_missing_or_malformed_table_name_stops_the_run(tmp_path):
    missing = run_dbt(
        ["run"], tmp_path / "missing", {"transactions_table": "raw.absent"}
    )
    assert missing.returncode != 0
    assert (
        "Transactions table 'raw.absent' (var transactions_table) does not exist"
        in (missing.output)
    )

    malformed = run_dbt(
        ["run"], tmp_path / "malformed", {"transactions_table": "sales; drop table x"}
    )
    assert malformed.returncode != 0
    assert "var transactions_table must be a table name" in malformed.output
