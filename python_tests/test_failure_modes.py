"""Bad input and bad configuration: every case either loads with each line
accounted for in transaction_audit, or stops with one clear message that
names the file, the line or column and the problem; never a silent drop and
never a traceback as the only message.

dbt takes seconds per run, so the runs are made once per module (two at a
time) and the tests check their results.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from python_tests.conftest import (
    HEADER,
    copy_run_dir,
    csv_text,
    data_line_count,
    run_dbt_many,
    write_csv,
)
from tools.dbt_runner import query_db

READ = ["run", "--select", "+int_invoice_outcomes__audited"]
AUDIT = ["build", "--select", "+transaction_audit", "+int_lines__checked"]
GOOD = ("536365", "85123A", "MUG", "6", "2010-12-01 08:26:00", "2.55", "17850", "UK")


def good(invoice: str, **changes: str) -> list[str]:
    """A valid line, with some columns changed (by file column name)."""
    line = dict(zip(HEADER, GOOD, strict=True)) | {"InvoiceNo": invoice} | changes
    return [line[column] for column in HEADER]


# ---- the input files -------------------------------------------------------


def dirty_monthly_files(folder: Path) -> list[Path]:
    """Three monthly CSV files read through one glob: a BOM with Windows line
    ends and US dates, a quoted comma, a thousands separator, a quantity of 0,
    a negative price, customer ids in spaces, unreadable values, a line
    repeated in the next month's file, a date in the future, and a file
    with a header only."""
    folder.mkdir(parents=True)
    december = [
        ["536365", "85123A", "WHITE T-LIGHT HOLDER", "6", "12/1/2010 8:26", "2.55",
         "17850", "United Kingdom"],
        ["536366", "71053", "LANTERN, WHITE", "6", "12/1/2010 8:28", "3.39",
         " 17851 ", "United Kingdom"],
        ["536367", "84879", "BIRD", "1,200", "12/1/2010 9:02", "1.69", "17852",
         "France"],
        ["536368", "22752", "SET", "0", "12/1/2010 9:05", "7.65", "17852", "France"],
        ["536369", "B", "Adjust bad debt", "1", "12/1/2010 9:10", "-11062.06",
         "17853", "United Kingdom"],
        ["536370", "22728", "ALARM", "24", "12/2/2010 10:00", "3.75",
         "\u00a017854\t", "United Kingdom"],
        ["536371", "22727", "CLOCK", "2", "31/12/2010 10:00", "3.75", "17855",
         "United Kingdom"],
        ["536372", "22726", "CUP", "two", "12/3/2010 10:00", "3.75", "17855",
         "United Kingdom"],
    ]  # fmt: skip
    text = csv_text(december).replace("\n", "\r\n")
    (folder / "2010-12.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    january = [
        # line 1 of December again, its date written the other way
        ["536365", "85123A", "WHITE T-LIGHT HOLDER", "6", "2010-12-01 08:26:00",
         "2.55", "17850", "United Kingdom"],
        ["540001", "22086", "PAPER CHAIN", "12", "2011-01-04 10:00:00", "2.95",
         "17850", "United Kingdom"],
        ["540002", "22086", "PAPER CHAIN", "12", "2099-01-04 10:00:00", "2.95",
         "17850", "United Kingdom"],
        ["C540003", "22086", "PAPER CHAIN", "-2", "2011-01-05 10:00:00", "2.95",
         "17850", "United Kingdom"],
        ["540004", "22086", "PAPER CHAIN", "1", "2011-01-06 10:00:00", "2.95", "",
         "United Kingdom"],
        ["", "22086", "PAPER CHAIN", "1", "2011-01-06 10:00:00", "2.95", "17850",
         "United Kingdom"],
    ]  # fmt: skip
    write_csv(folder / "2011-01.csv", january)
    write_csv(folder / "2011-02.csv", [])
    return sorted(folder.glob("*.csv"))


DIRTY_EXPECTED = {
    ("2010-12.csv", "536365"): None,
    ("2010-12.csv", "536366"): None,
    ("2010-12.csv", "536367"): None,
    ("2010-12.csv", "536368"): "non_positive_quantity",
    ("2010-12.csv", "536369"): "non_positive_price",
    ("2010-12.csv", "536370"): None,
    ("2010-12.csv", "536371"): "unparseable_date",
    ("2010-12.csv", "536372"): "unparseable_number",
    ("2011-01.csv", "536365"): "duplicate",
    ("2011-01.csv", "540001"): None,
    ("2011-01.csv", "540002"): "future_date",
    ("2011-01.csv", "C540003"): "cancellation",
    ("2011-01.csv", "540004"): "missing_customer",
    ("2011-01.csv", None): "missing_invoice_id",
}


def parquet_monthly_files(folder: Path) -> list[Path]:
    """Two typed Parquet files that overlap by one line; ids as floats with a
    NaN, as pandas writes them."""
    folder.mkdir(parents=True)

    def write(name: str, rows: list[tuple]) -> Path:
        columns = list(zip(*rows, strict=True))
        table = pa.table(
            {
                "InvoiceNo": pa.array(columns[0], pa.string()),
                "StockCode": pa.array(columns[1], pa.string()),
                "Description": pa.array(columns[2], pa.string()),
                "Quantity": pa.array(columns[3], pa.int64()),
                "InvoiceDate": pa.array(columns[4], pa.timestamp("us")),
                "UnitPrice": pa.array(columns[5], pa.float64()),
                "CustomerID": pa.array(columns[6], pa.float64()),
                "Country": pa.array(columns[7], pa.string()),
            }
        )
        pq.write_table(table, folder / name)
        return folder / name

    when = dt.datetime(2011, 5, 2, 9, 30)
    write(
        "2011-05.parquet",
        [
            ("550001", "22086", "CHAIN", 12, when, 2.95, 17850.0, "United Kingdom"),
            ("550002", "22086", "CHAIN", 12, when, 2.95, math.nan, "United Kingdom"),
            ("550003", "22086", "CHAIN", -3, when, 2.95, 17850.0, "United Kingdom"),
        ],
    )
    write(
        "2011-06.parquet",
        [
            ("550001", "22086", "CHAIN", 12, when, 2.95, 17850.0, "United Kingdom"),
            ("560001", "22086", "CHAIN", 1, dt.datetime(2011, 6, 3), 2.95, 17851.0,
             "France"),
        ],
    )  # fmt: skip
    return sorted(folder.glob("*.parquet"))


PARQUET_EXPECTED = {
    ("2011-05.parquet", "550001"): None,
    ("2011-05.parquet", "550002"): "missing_customer",
    ("2011-05.parquet", "550003"): "non_positive_quantity",
    ("2011-06.parquet", "550001"): "duplicate",
    ("2011-06.parquet", "560001"): "future_date",
}


def failing_cases(root: Path) -> dict[str, tuple[list[str], dict]]:
    """name -> (dbt args, vars) of every run that must stop."""
    root.mkdir(parents=True)
    ok = write_csv(root / "ok.csv", [good("1"), good("2", CustomerID="17851")])
    (root / "empty.csv").write_bytes(b"")
    ragged = root / "ragged.csv"
    ragged.write_text(
        ",".join(HEADER) + "\n" + ",".join(good("1")) + "\n"
        '2,71053,"LANTERN, WHITE",6,2010-12-01 08:28:00,3.39,17850\n'
        "3,71053,LANTERN, WHITE,6,2010-12-01 08:28:00,3.39,17850,UK\n",
        encoding="utf-8",
    )
    latin = root / "latin1.csv"
    latin.write_bytes(
        csv_text([good("1"), good("2", Description="CAF\u00c9 MUG")]).encode("latin-1")
    )
    no_customer = write_csv(
        root / "no_customer.csv",
        [[v for c, v in zip(HEADER, good("1"), strict=True) if c != "CustomerID"]],
        header=[c for c in HEADER if c != "CustomerID"],
    )
    bad_date = write_csv(
        root / "bad_date.csv", [good("1"), good("2", InvoiceDate="31/31/2010")]
    )
    bad_number = write_csv(
        root / "bad_number.csv", [good("1"), good("2", Quantity="1.2.3")]
    )
    cancelled = write_csv(
        root / "cancelled.csv", [good("C1", Quantity="-1"), good("C2", Quantity="-2")]
    )
    (root / "mixed").mkdir()
    write_csv(root / "mixed" / "a.csv", [good("1")])
    (root / "mixed" / "b.parquet").write_bytes(b"PAR1")
    return {
        "missing_file": (READ, {"transactions_path": str(root / "nope.csv")}),
        "empty_file": (READ, {"transactions_path": str(root / "empty.csv")}),
        "header_only": (
            READ,
            {"transactions_path": str(write_csv(root / "header.csv", []))},
        ),
        "ragged_line": (READ, {"transactions_path": str(ragged)}),
        "bad_encoding": (READ, {"transactions_path": str(latin)}),
        "missing_column": (READ, {"transactions_path": str(no_customer)}),
        "unknown_mapped_column": (
            READ,
            {
                "transactions_path": str(ok),
                "transaction_columns": {"quantity": "Qty", "loyalty": "Tier"},
            },
        ),
        "mapped_column_not_in_file": (
            READ,
            {"transactions_path": str(ok), "transaction_columns": {"quantity": "Qty"}},
        ),
        "unparseable_date": (READ, {"transactions_path": str(bad_date)}),
        "unparseable_number": (READ, {"transactions_path": str(bad_number)}),
        "nothing_kept": (READ, {"transactions_path": str(cancelled)}),
        "csv_glob_with_parquet": (
            READ,
            {"transactions_path": str(root / "mixed" / "*")},
        ),
        "countries_match_nothing": (
            READ,
            {"transactions_path": str(ok), "countries": ["Atlantis", "Narnia"]},
        ),
        "bad_vars": (
            ["run", "--select", "stg_transactions__lines"],
            {
                "transactions_path": str(ok),
                "n_segments": "many",
                "segment_features": ["recency_days", "happiness"],
                "k_range": [8, 3],
                "lower_is_better_features": ["distinct_products"],
                "monetary_basis": "after tax",
                "max_name_fit": 3,
                # each bound below comes from var_schema(), the one gate
                "min_segment_share": 1,
                "segment_match_tolerance": 2,
                "random_state": True,
                "fit_sample_size": 10,
                "countries": "United Kingdom",
                "currency_symbol": 5,
                "export_path": " ",
                "feature_cap_quantiles": [0.99, 0.01],
            },
        ),
        # checked by a query, so only once the vars above are fine
        "bad_as_of_date": (
            ["run", "--select", "stg_transactions__lines"],
            {"transactions_path": str(ok), "as_of_date": "next tuesday"},
        ),
    }


# ---- the runs, made once ---------------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[int, str, Path, dict]]:
    """name -> (returncode, output, run dir, vars) of every run of this
    module, two at a time."""
    root = tmp_path_factory.mktemp("failure_modes")
    dirty = dirty_monthly_files(root / "monthly_csv")
    parquet = parquet_monthly_files(root / "monthly_parquet")
    cases = {
        "dirty_csv_glob": (
            AUDIT,
            {
                "transactions_path": str(root / "monthly_csv" / "*.csv"),
                # 2 of 14 lines have an unreadable date or number
                "max_unparseable_share": 0.2,
                "as_of_date": None,
            },
        ),
        "parquet_glob": (
            AUDIT,
            {
                "transactions_path": str(root / "monthly_parquet" / "*.parquet"),
                "as_of_date": "2011-06-01",
            },
        ),
        **failing_cases(root / "inputs"),
    }
    plan = [(args, root / name, vars) for name, (args, vars) in cases.items()]
    results = run_dbt_many(plan)
    out = {
        name: (run.returncode, run.output, root / name, vars)
        for (name, (_, vars)), run in zip(cases.items(), results, strict=True)
    }
    out["dirty_csv_glob"] += (dirty,)
    out["parquet_glob"] += (parquet,)
    return out


def failure(runs, name: str) -> str:
    """The output of a run that must have stopped with a clear message."""
    code, output, *_ = runs[name]
    assert code != 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    return output


def outcomes_by_line(database: Path) -> dict[tuple[str, str | None], str | None]:
    """(file, invoice) -> the line's reason, or 'duplicate' for a line that
    has an earlier copy (the first file by name holds the first copy)."""
    rows = query_db(
        database,
        "select parse_filename(source_file), invoice_id,"
        " case when exclusion_reason_before_copies is null"
        " and row_number() over (partition by invoice_id, product_id,"
        " customer_id, description, country, quantity, unit_price, invoiced_at"
        " order by source_file) > 1 then 'duplicate'"
        " else exclusion_reason_if_unique end"
        " from internal.int_lines__checked",
    )
    return {(file, invoice): reason for file, invoice, reason in rows}


def outcome_lines(database: Path) -> dict[str, int]:
    """outcome -> lines, from the per-invoice audit."""
    rows = query_db(
        database,
        "select outcome, sum(line_count)"
        " from internal.int_invoice_outcomes__audited group by 1",
    )
    return {outcome: int(lines) for outcome, lines in rows}


def expected_outcome_lines(expected: dict) -> dict[str, int]:
    """The per-outcome line counts that the expected line outcomes add to."""
    return dict(Counter(reason or "kept" for reason in expected.values()))


def assert_audit_adds_up(database: Path, raw_lines: int) -> None:
    total, counted, kept = query_db(
        database,
        "select max(raw_line_count), sum(line_count),"
        " sum(line_count) filter (where is_kept) from transaction_audit",
    )[0]
    assert total == raw_lines
    assert counted == raw_lines
    assert kept >= 1


# ---- 1. dirty files that load ----------------------------------------------


def test_dirty_csv_glob_loads_with_every_line_audited(runs) -> None:
    code, output, run_dir, _, files = runs["dirty_csv_glob"]
    assert code == 0, output[-5000:]
    database = run_dir / "x.duckdb"
    assert outcomes_by_line(database) == DIRTY_EXPECTED
    assert outcome_lines(database) == expected_outcome_lines(DIRTY_EXPECTED)
    assert_audit_adds_up(database, data_line_count(files))
    assert data_line_count(files) == 14

    lines = {
        invoice: rest
        for invoice, *rest in query_db(
            database,
            "select invoice_id, customer_id, description, quantity, invoiced_at"
            " from internal.int_lines__checked"
            " where parse_filename(source_file) = '2010-12.csv'",
        )
    }
    # BOM and CRLF: the first column is found and no value ends in \r
    assert lines["536365"][3] == dt.datetime(2010, 12, 1, 8, 26)  # 12/1/2010 8:26
    assert lines["536370"][3] == dt.datetime(2010, 12, 2, 10, 0)
    assert lines["536366"][0] == "17851"  # ' 17851 '
    assert lines["536370"][0] == "17854"  # no-break space and tab
    assert lines["536366"][1] == "LANTERN, WHITE"  # quoted comma
    assert lines["536367"][2] == 1200  # "1,200"
    reasons = dict(
        query_db(database, "select outcome, line_count from transaction_audit")
    )
    assert reasons["kept"] == 5
    assert reasons["future_date"] == 1
    assert reasons["duplicate"] == 1


def test_parquet_glob_loads_with_every_line_audited(runs) -> None:
    code, output, run_dir, _, files = runs["parquet_glob"]
    assert code == 0, output[-5000:]
    database = run_dir / "x.duckdb"
    assert outcomes_by_line(database) == PARQUET_EXPECTED
    assert outcome_lines(database) == expected_outcome_lines(PARQUET_EXPECTED)
    assert_audit_adds_up(database, sum(pq.read_metadata(f).num_rows for f in files))
    kept = query_db(
        database,
        "select customer_id, quantity, unit_price, invoiced_at"
        " from internal.int_lines__checked where exclusion_reason_if_unique is null"
        " order by source_file limit 1",
    )
    assert kept == [("17850", 12.0, 2.95, dt.datetime(2011, 5, 2, 9, 30))]


# ---- 1. and the core issue: input that stops the run -----------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("missing_file", ["Transactions file not found: '", "nope.csv'"]),
        ("empty_file", ["empty.csv is empty (0 bytes): not even a header line"]),
        ("header_only", ["header.csv has a header but no lines"]),
        (
            "ragged_line",
            [
                "2 lines of var transactions_path",
                "cannot be read as CSV",
                "ragged.csv line 3: 7 values where the header has 8 columns: "
                '2,71053,"LANTERN, WHITE"',
                "ragged.csv line 4: 9 values where the header has 8 columns",
                "put a value that contains a comma in double quotes",
                "Nothing was loaded",
            ],
        ),
        (
            "bad_encoding",
            [
                "1 line of var transactions_path",
                "latin1.csv line 3: text that is not UTF-8 in column Description",
                "save the file as UTF-8",
            ],
        ),
        (
            "missing_column",
            [
                "Required column 'CustomerID' (customer_id) is not in",
                "The file has: InvoiceNo, StockCode, Description, Quantity, "
                "InvoiceDate, UnitPrice, Country.",
            ],
        ),
        (
            "unknown_mapped_column",
            ["var transaction_columns names an unknown column 'loyalty'"],
        ),
        ("mapped_column_not_in_file", ["Required column 'Qty' (quantity) is not in"]),
        (
            "unparseable_date",
            [
                "1 of 2 lines have an invoice date that cannot be read, e.g. in ",
                "bad_date.csv, invoice 2: invoice date (column InvoiceDate) "
                '"31/31/2010"',
                "add its format to var date_formats",
                "max_unparseable_share",
            ],
        ),
        (
            "unparseable_number",
            [
                "1 of 2 lines have a quantity or unit price that cannot be read",
                'bad_number.csv, invoice 2: quantity (column Quantity) "1.2.3"',
            ],
        ),
        (
            "nothing_kept",
            ["is kept, so there is no customer to segment", "2 cancellation"],
        ),
        (
            "csv_glob_with_parquet",
            ["is read as CSV but matches Parquet file(s):", "b.parquet"],
        ),
        (
            "countries_match_nothing",
            ['var countries ["Atlantis", "Narnia"] matches no line', "countries: UK"],
        ),
    ],
)
def test_bad_input_stops_with_one_clear_message(runs, name, expected) -> None:
    output = failure(runs, name)
    for text in expected:
        assert text in output, output[-3000:]


# ---- 3. bad configuration ---------------------------------------------------


def test_bad_vars_are_all_named_before_anything_runs(runs) -> None:
    output = failure(runs, "bad_vars")
    for text in [
        "Invalid configuration:",
        'var n_segments must be auto or a whole number of at least 1, got "many"',
        'var segment_features names an unknown feature "happiness"',
        "var k_range is upside down: [8, 3]",
        "var lower_is_better_features uses distinct_products, which is only"
        " counted with var count_distinct_products: true",
        'var monetary_basis must be net or gross, got "after tax"',
        "var max_name_fit must be a number from 0 to 1, got 3",
        "var min_segment_share must be a number of at least 0 and less than 1, got 1",
        "var segment_match_tolerance must be a number from 0 to 1, got 2",
        "var random_state must be a whole number from 0 to 4294967295, got true",
        "var fit_sample_size must be a whole number of at least 100, got 10",
        'var countries must be a list of names or values, e.g. [a, b], got "United',
        "var currency_symbol must be text, got 5",
        'var export_path must be a file or folder path (or glob), not empty, got " "',
        "var feature_cap_quantiles must be [lower, upper] with lower < upper, got"
        " [0.99, 0.01]",
    ]:
        assert text in output, output[-3000:]
    assert "START sql view model" not in output
    output = failure(runs, "bad_as_of_date")
    assert (
        'var as_of_date must be a date written YYYY-MM-DD, or null, got "next tuesday"'
        in output
    )


# ---- what compiling reads ---------------------------------------------------


def test_compile_and_docs_generate_read_no_data(tmp_path: Path) -> None:
    """dbt compile and dbt docs generate (as make docs runs it, --static)
    never open the transactions file: they succeed when it does not exist,
    and when it is a named pipe nobody writes to (opening that to read would
    block until the timeout). The file is checked only by commands that read
    it (case missing_file: dbt run stops with the usual message)."""
    missing = tmp_path / "nope.csv"
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    results = run_dbt_many(
        [
            (["compile"], tmp_path / "compile", {"transactions_path": str(missing)}),
            (
                ["docs", "generate", "--static"],
                tmp_path / "docs",
                {"transactions_path": str(pipe)},
            ),
        ]
    )
    for run in results:
        assert run.returncode == 0, run.output[-3000:]
        assert "Transactions file not found" not in run.output
    compiled = next(
        (tmp_path / "compile" / "target" / "compiled").rglob(
            "stg_transactions__lines.sql"
        )
    ).read_text()
    assert f"read_csv('{missing}'" in compiled
    assert (tmp_path / "docs" / "target" / "catalog.json").exists()
    assert (tmp_path / "docs" / "target" / "static_index.html").exists()


INJECTION = "x'); drop table customer_segments; --"


def test_values_that_reach_sql_are_never_executed(
    built_project, tmp_path: Path
) -> None:
    """A var value written as SQL stays a literal (or an identifier) that
    matches nothing: the run stops with the usual message and the marts of
    the previous build are all still there."""
    built, vars = built_project
    plans = {
        "countries": {"countries": [INJECTION]},
        "path": {"transactions_path": INJECTION + ".csv"},
        "column": {"transaction_columns": {"customer_id": 'x"); ' + INJECTION[4:]}},
        # harmless literals: a stock code nobody has, a format no date has
        "literals": {"excluded_stock_codes": [INJECTION], "date_formats": [INJECTION]},
    }
    dirs = {name: copy_run_dir(built, tmp_path / name) for name in plans}
    results = dict(
        zip(
            plans,
            run_dbt_many(
                [
                    (READ, dirs[name], {**vars, "export_parquet": False, **extra})
                    for name, extra in plans.items()
                ]
            ),
            strict=True,
        )
    )
    run = results["countries"]
    assert run.returncode != 0
    assert 'var countries ["x\'); drop table customer_segments; --"] matches no' in (
        run.output
    )
    run = results["literals"]
    assert run.returncode == 0, run.output[-3000:]
    run = results["path"]
    assert run.returncode != 0
    assert f"Transactions file not found: '{INJECTION}.csv'" in run.output
    run = results["column"]
    assert run.returncode != 0
    assert "(customer_id) is not in" in run.output
    for name, run_dir in dirs.items():
        tables = {
            row[0]
            for row in query_db(
                run_dir / "x.duckdb", "select table_name from duckdb_tables()"
            )
        }
        assert "customer_segments" in tables, name
        assert query_db(run_dir / "x.duckdb", "select count(*) from customer_segments")
    excluded = query_db(
        dirs["literals"] / "x.duckdb",
        "select count(*) filter (where outcome = 'stock_code_excluded')"
        " from internal.int_invoice_outcomes__audited",
    )
    assert excluded == [(0,)]
