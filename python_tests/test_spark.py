"""The same project on Spark (dbt-spark, session method, local[2]).

Needs the Spark environment (make install-spark: .venv-spark and Java);
skipped without it, except under make test, which sets
SEGMENTATION_REQUIRE_SPARK=1 so that a missing Spark fails instead.

Every Spark build of this module runs in one batch, one SparkSession (the
JVM starts once), each in its own schema, started as soon as the tests are
collected (python_tests/spark_builds.py, conftest.py's spark_builds); the
DuckDB builds they are compared with are ordinary runs. The marts of a Spark
build are Parquet tables in the warehouse directory; tools.engine_comparison
reads them with DuckDB and holds the rules of "the same answers" (keys,
cents, float tolerance).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb
import pytest

from python_tests.conftest import ONLINE_RETAIL, run_dbt_many
from python_tests.spark_builds import AUDIT_ONLY, MESSY_LINES, NO_TESTS, SAMPLE_VARS
from tools.dbt_runner import SPARK_PYTHON
from tools.engine_comparison import compare_engines, read_spark_mart, report
from tools.marts import TODAY_MARTS

pytestmark = pytest.mark.spark

if SPARK_PYTHON is None:
    if os.environ.get("SEGMENTATION_REQUIRE_SPARK") == "1":
        raise RuntimeError("SEGMENTATION_REQUIRE_SPARK=1 but there is no .venv-spark")
    pytest.skip("no Spark environment (make install-spark)", allow_module_level=True)


@pytest.fixture(scope="module")
def duckdb_sides(spark_batch, tmp_path_factory):
    """The DuckDB builds the Spark builds are compared with, both at once
    and before waiting for the Spark batch (make test's longest path)."""
    _, messy_vars = spark_batch.inputs["messy"]
    root = tmp_path_factory.mktemp("duckdb_sides")
    plan = {
        "sample": (["build", *NO_TESTS], SAMPLE_VARS),
        "messy": (
            ["build", *AUDIT_ONLY],
            {k: v for k, v in messy_vars.items() if not k.startswith("export")},
        ),
    }
    runs = run_dbt_many(
        [(args, root / name, vars) for name, (args, vars) in plan.items()]
    )
    for run in runs:
        assert run.returncode == 0, run.output[-4000:]
    return dict(zip(plan, runs, strict=True))


def test_the_sample_gives_the_same_marts_on_both_engines(spark_batch, duckdb_sides):
    duck = duckdb_sides["sample"]
    spark_builds = spark_batch.finish()
    assert spark_builds.results["sample"]["success"], spark_builds.results["sample"]

    comparisons = compare_engines(duck.database, spark_builds.warehouse, "sample")
    print(report(comparisons))
    assert all(c.same for c in comparisons), report(comparisons)
    customers = {c.mart: c.duckdb_rows for c in comparisons}["customer_segments"]
    assert customers == 3000
    segments = read_spark_mart(spark_builds.warehouse, "sample", "segment_profiles")
    assert segments["segment_name"].notna().all() and len(segments) >= 2

    # read from a table instead of the file: the same audit, line for line
    assert spark_builds.results["sample_table"]["success"], spark_builds.results[
        "sample_table"
    ]
    (audit,) = compare_engines(
        duck.database, spark_builds.warehouse, "sample_table", ["transaction_audit"]
    )
    assert audit.same, audit.problems


def test_the_real_data_gives_the_same_marts_on_both_engines(
    spark_builds, online_retail
):
    result = spark_builds.results.get("online_retail")
    if result is None:
        pytest.skip(
            f"{ONLINE_RETAIL} is not here, or SEGMENTATION_SPARK_REAL_DATA is not 1"
            " (make spark-real-data)"
        )
    assert result["success"], result
    # the Spark batch builds today's segments of the real data (the
    # sample's build compares the history)
    comparisons = compare_engines(
        online_retail.database, spark_builds.warehouse, "online_retail", TODAY_MARTS
    )
    print(report(comparisons))
    assert all(c.same for c in comparisons), report(comparisons)


def test_bad_values_get_the_same_audit_outcome_on_both_engines(
    spark_batch, duckdb_sides
):
    _, vars = spark_batch.inputs["messy"]
    duck = duckdb_sides["messy"]
    spark_builds = spark_batch.finish()
    assert spark_builds.results["messy"]["success"], spark_builds.results["messy"]

    (audit,) = compare_engines(
        duck.database, spark_builds.warehouse, "messy", marts=["transaction_audit"]
    )
    assert audit.same, audit.problems
    counts = dict(
        duck.query(
            "select outcome, line_count from transaction_audit where line_count > 0"
        )
    )
    # the lines this file was written to hold
    assert counts["unparseable_number"] == 4  # abc, NaN, 2,5 and inf
    assert counts["unparseable_date"] == 2  # not a date, a year alone
    assert counts["missing_invoice_id"] == 1
    assert sum(counts.values()) == len(MESSY_LINES)
    # the Parquet export, which Spark writes as a directory of parts
    exported = duckdb.execute(
        "select outcome, line_count from read_parquet(?) order by outcome",
        [str(Path(vars["export_path"]) / "transaction_audit.parquet" / "*.parquet")],
    ).fetchall()
    assert exported == duck.query(
        "select outcome, line_count from transaction_audit order by outcome"
    )
    # the CSV export (export_format both), a directory of parts too, read as
    # an importer reads it: descriptions with commas come back whole
    (part,) = (Path(vars["export_path"]) / "transaction_audit.csv").glob("*.csv")
    with part.open(encoding="utf-8", newline="") as file:
        rows = sorted(
            (row["outcome"], row["description"], int(row["line_count"]))
            for row in csv.DictReader(file)
        )
    assert rows == duck.query(
        "select outcome, description, line_count"
        " from transaction_audit order by outcome"
    )


@pytest.mark.parametrize(
    "name, expected",
    [
        ("missing", "not found"),
        ("empty", "empty (0 bytes)"),
        ("header_only", "No transaction lines"),
        ("ragged", "does not fit the header"),
        ("not_utf8", "not UTF-8"),
    ],
)
def test_a_bad_file_stops_the_spark_run_with_a_message_that_names_it(
    spark_builds, name, expected
):
    result = spark_builds.results[name]
    path, _ = spark_builds.inputs[name]
    assert not result["success"], f"{name}: the run went on"
    assert expected in result["error"], result["error"][:600]
    assert path.name in result["error"], result["error"][:600]
