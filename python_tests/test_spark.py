"""The same project on Spark (dbt-spark, session method, local[2]).

Needs the Spark environment (make install-spark: .venv-spark and Java);
skipped without it, except under make test, which sets
SEGMENTATION_REQUIRE_SPARK=1 so that a missing Spark fails instead.

The marts of a Spark build are Parquet tables in the run's warehouse
directory; tools.engine_comparison reads them with DuckDB and holds the rules
of "the same answers" (keys, cents, float tolerance).
"""

from __future__ import annotations

import gzip
import os

import pytest

from tools.dbt_runner import (
    PROJECT_DIR,
    SPARK_PYTHON,
    run_dbt,
    run_spark_batch,
    run_spark_dbt,
)
from tools.engine_comparison import compare_engines, read_spark_mart, report

pytestmark = pytest.mark.spark

if SPARK_PYTHON is None:
    if os.environ.get("SEGMENTATION_REQUIRE_SPARK") == "1":
        raise RuntimeError("SEGMENTATION_REQUIRE_SPARK=1 but there is no .venv-spark")
    pytest.skip("no Spark environment (make install-spark)", allow_module_level=True)

SAMPLE = PROJECT_DIR / "data" / "sample" / "transactions.csv.gz"
HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
)


def test_the_sample_gives_the_same_marts_on_both_engines(tmp_path):
    duck = run_dbt(["build"], tmp_path / "duckdb")
    assert duck.returncode == 0, duck.output[-4000:]
    spark = run_spark_dbt(["build"], tmp_path / "spark")
    assert spark.returncode == 0, spark.output[-6000:]

    comparisons = compare_engines(duck.database, spark.database)
    print(report(comparisons))
    assert all(c.same for c in comparisons), report(comparisons)
    customers = {c.mart: c.duckdb_rows for c in comparisons}["customer_segments"]
    assert customers == 3000
    # every segment of the sample has a name and every line an outcome
    segments = read_spark_mart(spark.database, "segmentation", "segment_profiles")
    assert segments["segment_name"].notna().all() and len(segments) >= 2


def write_lines(path, lines, header=HEADER):
    path.write_bytes(gzip.compress(("\n".join([header, *lines]) + "\n").encode()))
    return path


#: Lines with every kind of value the cleaning must audit rather than fail on
#: or drop: thousands separators, floats written as ids, padded and blank
#: ids, NaN and infinity, text that is no number or date, each date layout of
#: var date_formats, a year alone (no date), no-break spaces.
MESSY_LINES = [
    "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom",
    '536366,22633,HAND WARMER,"1,200",2010-12-01 08:28:00,1.85,17850.0,United Kingdom',
    "536367,84879,ASSORTED BIRD, 32 ,2010-12-01,1.69, 13047 ,France",
    "536368,22960,JAM MAKING SET,abc,12/01/2010 08:34,4.25,13047,France",
    "536369,21756,BATH BUILDING BLOCK,3,not a date,5.95,13748,Germany",
    "536370,22728,ALARM CLOCK,NaN,2010-12-01 08:45:00,3.75,12583,France",
    "536371,22727,ALARM CLOCK RED,24,2010,3.75,12583,France",
    "536372,22632,HAND WARMER RED,6,2010-12-01 09:01:00,inf,,United Kingdom",
    '536373,82494L,WOODEN FRAME,"2,5",2010-12-01 09:02:00,2.10,17850,United Kingdom',
    ",22752,SET 7 BABUSHKA,2,2010-12-01 09:02:00,7.65,17850,United Kingdom",
    "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527,United Kingdom",
    "536380,22961,JAM SET,\u00a024\u00a0,2010-12-01 09:41:00,1.45,"
    "\u00a014527\u00a0,Spain",
    "536381,22139,RETRO SPOT,3,2010-12-01 09:45:00,0,15311,United Kingdom",
    "536381,22139,RETRO SPOT,3,2010-12-01 09:45:00,0,15311,United Kingdom",
    '536382,22139,RETRO SPOT,3,2010-12-01 09:45:00,"1,234.50",15311,United Kingdom',
    "536383,22139,RETRO SPOT,3,2010-12-01T09:46:00,4.95,15311.5,United Kingdom",
]


def test_bad_values_get_the_same_audit_outcome_on_both_engines(tmp_path):
    messy = write_lines(tmp_path / "messy.csv.gz", MESSY_LINES)
    vars = {"transactions_path": str(messy), "max_unparseable_share": 1}
    select = ["--select", "+transaction_audit", "+int_lines__checked"]
    duck = run_dbt(["build", *select], tmp_path / "duckdb", vars)
    assert duck.returncode == 0, duck.output[-4000:]
    spark = run_spark_dbt(["build", *select], tmp_path / "spark", vars)
    assert spark.returncode == 0, spark.output[-6000:]

    audit = {
        c.mart: c
        for c in compare_engines(
            duck.database, spark.database, marts=["transaction_audit"]
        )
    }["transaction_audit"]
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


def test_bad_files_stop_the_spark_run_with_a_message_that_names_the_problem(tmp_path):
    cases = {
        "missing": (tmp_path / "absent.csv.gz", "not found"),
        "empty": (tmp_path / "empty.csv", "is empty (0 bytes)"),
        "header_only": (
            write_lines(tmp_path / "header.csv.gz", []),
            "No transaction lines",
        ),
        "ragged": (
            write_lines(
                tmp_path / "ragged.csv.gz",
                [MESSY_LINES[0], "536999,85123A,TOO,MANY,COMMAS,HERE,6,1,2,3"],
            ),
            "does not fit the header",
        ),
        "not_utf8": (tmp_path / "latin1.csv", "not UTF-8"),
    }
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "latin1.csv").write_bytes(
        (HEADER + "\n" + MESSY_LINES[0].replace("WHITE", "CAF\u00c9") + "\n").encode(
            "latin-1"
        )
    )
    commands = [
        [
            "run",
            "--select",
            "stg_transactions__lines",
            "--vars",
            f"{{transactions_path: '{p}'}}",
        ]
        for p, _ in cases.values()
    ]
    results = run_spark_batch(commands, tmp_path / "spark")
    for (name, (path, expected)), result in zip(cases.items(), results, strict=True):
        assert not result["success"], f"{name}: the run went on"
        assert expected in result["error"], f"{name}: {result['error'][:600]}"
        assert path.name in result["error"], f"{name}: {result['error'][:600]}"
