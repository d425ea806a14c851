"""The Spark builds test_spark.py checks, started as soon as pytest has
collected the tests (conftest.py) so that they run beside the DuckDB tests:
a small Spark build mostly waits on Spark's scheduling, not on the CPU.

One batch, one SparkSession: the bundled sample with every test, the sample
read back from a table, a file of messy values, five bad files and (where
it is here) UCI Online Retail, each in its own schema.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path

from python_tests.conftest import ONLINE_RETAIL
from tools.dbt_runner import SparkBatch, WatchedBatch, spark_warehouse

HEADER = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
)
#: the vars of the sample's Spark build (test_spark.py builds DuckDB alike)
SAMPLE_VARS = {"history_periods": 3}
#: models and seeds only, where the sample's build has run every test
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]
#: the sample's Spark build: models, seeds and the data tests whose SQL the
#: project wrote (dbt's built-in generic tests and the unit tests run on DuckDB)
OURS_ON_SPARK = [
    "--exclude-resource-type",
    "unit_test",
    "--exclude",
    "test_name:not_null",
    "test_name:unique",
    "test_name:relationships",
    "test_name:accepted_values",
]
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
    """The batch (running or done), the warehouse, what each command read,
    and, once finished, one {"success", "error"} per named command."""

    batch: SparkBatch | WatchedBatch
    names: list[str]
    warehouse: Path
    inputs: dict[str, tuple[Path | None, dict]]
    results: dict[str, dict] = field(default_factory=dict)

    def finish(self) -> SparkBuilds:
        if not self.results:
            self.results = dict(zip(self.names, self.batch.results(), strict=True))
        return self

    def describe(self) -> dict:
        """What another process needs to wait for this batch (watch)."""
        return {
            "stdout": str(self.batch.stdout),
            "stderr": str(self.batch.stderr),
            "pid": self.batch.process.pid,
            "names": self.names,
            "warehouse": str(self.warehouse),
            "inputs": {
                name: (str(path) if path else None, vars)
                for name, (path, vars) in self.inputs.items()
            },
        }

    @classmethod
    def watch(cls, described: dict) -> SparkBuilds:
        """The batch another process started and described."""
        return cls(
            WatchedBatch(
                Path(described["stdout"]), Path(described["stderr"]), described["pid"]
            ),
            described["names"],
            Path(described["warehouse"]),
            {
                name: (Path(path) if path else None, vars)
                for name, (path, vars) in described["inputs"].items()
            },
        )


def start_spark_builds(workdir: Path) -> SparkBuilds:
    """Write the input files and start the batch in the background."""
    workdir.mkdir(parents=True, exist_ok=True)
    files = workdir / "files"
    files.mkdir()
    messy = write_lines(files / "messy.csv.gz", MESSY_LINES)
    (files / "empty.csv").write_bytes(b"")
    latin1 = MESSY_LINES[0].replace("WHITE", "CAF\u00c9")
    (files / "latin1.csv").write_bytes(f"{HEADER}\n{latin1}\n".encode("latin-1"))
    ragged = ["536999,85123A,TOO,MANY,COMMAS,HERE,6,1,2,3", "537000,85123A,TOO FEW,6"]
    commands: dict[str, tuple[list[str], dict]] = {
        # every model on Spark, with the data tests whose SQL is ours (our
        # generic tests and the singular ones); the history at its last three
        # dates (a Spark build of all 24 would outlast the DuckDB tests). The
        # unit tests and dbt's own not_null / unique / relationships /
        # accepted_values (dbt-spark's SQL, 247 of 388 tests) run on DuckDB:
        # the batch is make test's longest path
        "sample": (["build", *OURS_ON_SPARK], SAMPLE_VARS),
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
                "export_format": "both",
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
    if ONLINE_RETAIL.exists() and os.environ.get("SEGMENTATION_SPARK_REAL_DATA") == "1":
        # the vars of conftest's online_retail build; today's segments only:
        # the sample's build above runs every history model on Spark, and
        # the real data's history on Spark would outlast the DuckDB tests.
        # Only with SEGMENTATION_SPARK_REAL_DATA=1 (make spark-real-data):
        # in make test the batch is the longest path and CI has 20 minutes
        commands["online_retail"] = (
            ["build", *NO_TESTS, "--exclude", "tag:history"],
            {"transactions_path": str(ONLINE_RETAIL), "count_distinct_products": True},
        )
    batch = SparkBatch(
        [(args, vars, name) for name, (args, vars) in commands.items()], workdir
    )
    return SparkBuilds(
        batch,
        list(commands),
        spark_warehouse(workdir),
        {name: (bad_files.get(name), vars) for name, (_, vars) in commands.items()},
    )
