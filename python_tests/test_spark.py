"""The same project on Spark (dbt-spark, session method, local[2]).

Needs the Spark environment (make install-spark: .venv-spark and Java);
skipped without it, except under make test, which sets
SEGMENTATION_REQUIRE_SPARK=1 so that a missing Spark fails instead.

Every Spark build of this module runs in one batch, one SparkSession (the
JVM starts once), each in its own schema; the DuckDB builds they are
compared with are ordinary runs. The marts of a Spark build are Parquet
tables in the warehouse directory; tools.engine_comparison reads them with
DuckDB and holds the rules of "the same answers" (keys, cents, float
tolerance).
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from python_tests.conftest import ONLINE_RETAIL
from tools.dbt_runner import SPARK_PYTHON, run_dbt, run_spark_batch, spark_warehouse
from tools.engine_comparison import compare_engines, read_spark_mart, report

pytestmark = pytest.mark.spark

if SPARK_PYTHON is None:
    if os.environ.get("SEGMENTATION_REQUIRE_SPARK") == "1":
        raise RuntimeError("SEGMENTATION_REQUIRE_SPARK=1 but there is no .venv-spark")
    pytest.skip("no Spark environment (make install-spark)", allow_module_level=True)

HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
)
#: models and seeds only, where the sample's build has run every test
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]
#: the models a file of a few odd lines can build: the audit, not segments
AUDIT_ONLY = ["--select", "+transaction_audit", "+int_lines__checked", *NO_TESTS]


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


@dataclass
class SparkBuilds:
    """The batch's outcome: one {"success", "error"} per named command, the
    warehouse, and what each command read."""

    results: dict[str, dict]
    warehouse: Path
    inputs: dict[str, tuple[Path, dict]]


@pytest.fixture(scope="module")
def spark_builds(tmp_path_factory) -> SparkBuilds:
    workdir = tmp_path_factory.mktemp("spark")
    files = workdir / "files"
    files.mkdir()
    messy = write_lines(files / "messy.csv.gz", MESSY_LINES)
    (files / "empty.csv").write_bytes(b"")
    latin1 = MESSY_LINES[0].replace("WHITE", "CAF\u00c9")
    (files / "latin1.csv").write_bytes(f"{HEADER}\n{latin1}\n".encode("latin-1"))
    ragged = ["536999,85123A,TOO,MANY,COMMAS,HERE,6,1,2,3", "537000,85123A,TOO FEW,6"]
    commands: dict[str, tuple[list[str], dict]] = {
        "sample": (["build"], {}),
        # the same lines from a loaded table (var transactions_table): the
        # table the sample's build registered over its file
        "sample_table": (
            ["build", *AUDIT_ONLY],
            {"transactions_table": "sample.transactions_raw_lines"},
        ),
        "messy": (
            ["build", *AUDIT_ONLY],
            {
                "transactions_path": str(messy),
                "max_unparseable_share": 1,
                "export_parquet": True,
                "export_path": str(workdir / "exports"),
            },
        ),
    }
    bad_files = {
        "missing": files / "absent.csv.gz",
        "empty": files / "empty.csv",
        "header_only": write_lines(files / "header.csv.gz", []),
        "ragged": write_lines(files / "ragged.csv.gz", [MESSY_LINES[0], *ragged]),
        "not_utf8": files / "latin1.csv",
    }
    for name, path in bad_files.items():
        commands[name] = (
            ["run", "--select", "stg_transactions__lines"],
            {"transactions_path": str(path)},
        )
    if ONLINE_RETAIL.exists():
        # the vars of conftest's online_retail build
        commands["online_retail"] = (
            ["build", *NO_TESTS],
            {"transactions_path": str(ONLINE_RETAIL), "count_distinct_products": True},
        )
    results = run_spark_batch(
        [(args, vars, name) for name, (args, vars) in commands.items()], workdir
    )
    return SparkBuilds(
        dict(zip(commands, results, strict=True)),
        spark_warehouse(workdir),
        {name: (bad_files.get(name), vars) for name, (_, vars) in commands.items()},
    )


def test_the_sample_gives_the_same_marts_on_both_engines(spark_builds, tmp_path):
    assert spark_builds.results["sample"]["success"], spark_builds.results["sample"]
    duck = run_dbt(["build", *NO_TESTS], tmp_path)
    assert duck.returncode == 0, duck.output[-4000:]

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
        pytest.skip(f"{ONLINE_RETAIL} is not here")
    assert result["success"], result
    comparisons = compare_engines(
        online_retail.database, spark_builds.warehouse, "online_retail"
    )
    print(report(comparisons))
    assert all(c.same for c in comparisons), report(comparisons)


def test_bad_values_get_the_same_audit_outcome_on_both_engines(spark_builds, tmp_path):
    assert spark_builds.results["messy"]["success"], spark_builds.results["messy"]
    _, vars = spark_builds.inputs["messy"]
    duck_vars = {k: v for k, v in vars.items() if not k.startswith("export")}
    duck = run_dbt(["build", *AUDIT_ONLY], tmp_path, duck_vars)
    assert duck.returncode == 0, duck.output[-4000:]

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
