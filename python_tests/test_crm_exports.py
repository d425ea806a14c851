"""Exports for CRM and ads tools: the marts as CSV (var export_format) and one
audience CSV per segment, read back with Python's csv module as an importer
reads them.

Builds on a copy of one complete build of a small sample (fixture
built_project, Parquet exports on): one ``dbt run`` of two marts with
export_format ``both``, after the segments were renamed in the copy's
int_segments__centroids, so that a name holds a comma and quotes, two names
fold to the same file name, and the previous run's audience files are stale.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from python_tests.conftest import copy_run_dir
from tools.dbt_runner import run_dbt

#: the columns of every audience file, in order
AUDIENCE_COLUMNS = [
    "customer_id",
    "segment",
    "recommended_action",
    "recency_days",
    "frequency",
    "monetary",
    "avg_order_value",
    "country",
]


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file as an importer reads it: UTF-8 (no BOM), header,
    RFC 4180 quoting."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name} starts with a BOM"
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def file_name_of(segment_name: str) -> str:
    """The file name the README promises for a segment name (no clash)."""
    return re.sub(r"[^a-z0-9_-]+", "_", segment_name.lower().replace("'", "")).strip(
        "_-"
    )


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def crm_run(built_project, tmp_path_factory) -> dict:
    """The built project's audiences as first written, then a copy whose
    segments were renamed and whose marts customer_segments and
    segment_profiles were rebuilt with export_format both."""
    built, vars = built_project
    first_audiences = sorted(
        p.name for p in (built / "exports" / "audiences").iterdir()
    )
    first_names = [
        name
        for (name,) in query(
            built / "x.duckdb",
            "select segment_name from internal.int_segments__centroids"
            " order by segment_id",
        )
    ]
    run_dir = copy_run_dir(built, tmp_path_factory.mktemp("crm"))
    database, exports = run_dir / "x.duckdb", run_dir / "exports"
    # segment 1 gets a comma and quotes; segment 2 the same name in capitals,
    # which folds to the same file name
    renamed = f'{first_names[0]}, "the best"'
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "update internal.int_segments__centroids set segment_name = case segment_id"
            " when 1 then ? when 2 then ? else segment_name end",
            [renamed, renamed.upper()],
        )
    # a BI tool holding the Parquet export open while the build replaces it
    held = pq.ParquetFile(exports / "customer_segments.parquet")
    run = run_dbt(
        ["run", "--select", "customer_segments", "segment_profiles"],
        run_dir,
        {**vars, "export_path": str(exports), "export_format": "both"},
    )
    assert run.returncode == 0, run.output[-5000:]
    held_names = set(held.read(columns=["segment_name"]).column(0).to_pylist())
    held.close()
    return {
        "held_names": held_names,
        "built": built,
        "first_audiences": first_audiences,
        "first_names": first_names,
        "renamed": renamed,
        "database": database,
        "exports": exports,
        "output": run.output,
    }


def test_default_export_is_parquet_with_audiences(crm_run) -> None:
    """export_parquet alone (export_format's default, parquet) writes the
    Parquet files as before, no mart CSV, and one audience file per segment
    named after it."""
    exports = crm_run["built"] / "exports"
    assert (exports / "customer_segments.parquet").is_file()
    assert not list(exports.glob("*.csv"))
    assert crm_run["first_audiences"] == sorted(
        f"{file_name_of(name)}.csv" for name in crm_run["first_names"]
    )


def test_a_reader_holding_the_export_keeps_reading_the_old_file(crm_run) -> None:
    """The export is replaced by a rename, never rewritten in place: a
    reader that opened customer_segments.parquet before the build reads the
    old segments to the end, a reader opening it afterwards the new ones."""
    assert crm_run["held_names"] <= set(crm_run["first_names"])
    assert crm_run["renamed"] not in crm_run["held_names"]
    fresh = pq.read_table(crm_run["exports"] / "customer_segments.parquet")
    assert crm_run["renamed"] in set(fresh.column("segment_name").to_pylist())


def test_mart_csv_round_trips(crm_run) -> None:
    """customer_segments.csv holds the mart's rows and columns: header, no
    index column, ISO dates, a name with a comma and quotes read back whole
    (RFC 4180: quoted, inner quotes doubled), CRLF line ends."""
    database, exports = crm_run["database"], crm_run["exports"]
    path = exports / "customer_segments.csv"
    rows = read_csv(path)
    with duckdb.connect(str(database), read_only=True) as connection:
        table = connection.execute(
            "select * from customer_segments order by customer_id"
        ).fetchdf()
    assert list(rows[0]) == list(table.columns)
    assert [r["customer_id"] for r in rows] == list(table["customer_id"])
    assert [r["segment_name"] for r in rows] == list(table["segment_name"])
    assert [r["first_order_date"] for r in rows] == [
        d.date().isoformat() for d in table["first_order_date"]
    ]
    assert crm_run["renamed"] in {r["segment_name"] for r in rows}
    raw = path.read_bytes()
    assert b', ""the best"""' in raw
    assert raw.count(b"\r\n") == len(rows) + 1
    # both formats: the Parquet file was rewritten with the new names too
    parquet = exports / "customer_segments.parquet"
    parquet_names = {
        name
        for (name,) in duckdb.execute(
            "select distinct segment_name from read_parquet(?)", [str(parquet)]
        ).fetchall()
    }
    assert crm_run["renamed"] in parquet_names
    profiles = read_csv(exports / "segment_profiles.csv")
    assert (
        len(profiles) == query(database, "select count(*) from segment_profiles")[0][0]
    )


def test_audiences_add_up_to_customer_segments(crm_run) -> None:
    """One file per segment, named safely (the two names that fold alike get
    their segment ids), the previous run's files gone; read together they
    hold every customer once, in the right segment with its action,
    features and country, and each segment's count."""
    database, audiences = crm_run["database"], crm_run["exports"] / "audiences"
    stem = file_name_of(crm_run["renamed"])
    segments = query(
        database,
        "select segment_id, segment_name, recommended_action, customers"
        " from segment_profiles order by segment_id",
    )
    expected_files = {
        (f"{stem}_{segment_id}" if segment_id <= 2 else file_name_of(name)) + ".csv"
        for segment_id, name, _, _ in segments
    }
    assert {p.name for p in audiences.iterdir()} == expected_files
    assert "export_audiences: removing stale" in crm_run["output"]
    assert all(re.fullmatch(r"[a-z0-9_-]+\.csv", name) for name in expected_files)

    customers = {
        row[0]: row[1:]
        for row in query(
            database,
            "select customer_id, segment_name, recency_days, frequency, monetary,"
            " avg_order_value, coalesce(country, '') from customer_segments",
        )
    }
    seen: dict[str, str] = {}
    for segment_id, name, action, count in segments:
        file = (
            f"{stem}_{segment_id}" if segment_id <= 2 else file_name_of(name)
        ) + ".csv"
        rows = read_csv(audiences / file)
        assert len(rows) == count, file
        for row in rows:
            assert list(row) == AUDIENCE_COLUMNS
            assert row["customer_id"] not in seen, "a customer in two audiences"
            seen[row["customer_id"]] = file
            segment, recency, frequency, monetary, order_value, country = customers[
                row["customer_id"]
            ]
            assert (row["segment"], row["recommended_action"]) == (name, action)
            assert segment == name
            assert (int(row["recency_days"]), int(row["frequency"])) == (
                recency,
                frequency,
            )
            assert float(row["monetary"]) == pytest.approx(monetary)
            assert float(row["avg_order_value"]) == pytest.approx(order_value)
            assert row["country"] == country
    assert seen.keys() == customers.keys()


@pytest.mark.integration
def test_real_datas_exports_round_trip(online_retail, tmp_path) -> None:
    """UCI Online Retail: customer_segments written again (in a copy of the
    shared build) with the export on, as CSV: the mart's CSV and the
    audiences, read back, hold every customer once in their segment."""
    run_dir = copy_run_dir(online_retail.workdir, tmp_path / "run")
    exports = run_dir / "exports"
    run = run_dbt(
        ["run", "--select", "customer_segments"],
        run_dir,
        {
            **online_retail.vars,
            "export_parquet": True,
            "export_format": "csv",
            "export_path": str(exports),
        },
    )
    assert run.returncode == 0, run.output[-5000:]
    segment_of = dict(
        query(run.database, "select customer_id, segment_name from customer_segments")
    )
    mart = read_csv(exports / "customer_segments.csv")
    assert {row["customer_id"]: row["segment_name"] for row in mart} == segment_of
    assert len(mart) == len(segment_of)
    audiences = {}
    for file in (exports / "audiences").glob("*.csv"):
        for row in read_csv(file):
            assert row["customer_id"] not in audiences, "a customer in two audiences"
            audiences[row["customer_id"]] = row["segment"]
    assert audiences == segment_of
