"""Tests of the synthetic sample generator (tools.sample_data)."""

from __future__ import annotations

import csv
import gzip
import io
import re
import time

import numpy as np
import pandas as pd
import pytest

from tools.sample_data import (
    COLUMNS,
    generate_transactions,
    main,
    to_csv_bytes,
    write_sample,
)

START, END = pd.Timestamp("2009-12-01"), pd.Timestamp("2011-11-30")
EXPECTED_COUNTRIES = {
    "United Kingdom",
    "Germany",
    "France",
    "EIRE",
    "Spain",
    "Netherlands",
    "Belgium",
    "Switzerland",
}
PRODUCT_CODE = r"\d{5}[A-Z]?"


@pytest.fixture(scope="module")
def generated() -> tuple[pd.DataFrame, float]:
    began = time.perf_counter()
    df = generate_transactions()
    return df, time.perf_counter() - began


@pytest.fixture(scope="module")
def df(generated: tuple[pd.DataFrame, float]) -> pd.DataFrame:
    return generated[0]


@pytest.fixture(scope="module")
def flags(df: pd.DataFrame) -> pd.DataFrame:
    """Per-line kinds used by several tests."""
    invoice = df["InvoiceNo"]
    return pd.DataFrame(
        {
            "cancel": invoice.str.startswith("C"),
            "bad_debt": invoice.str.startswith("A"),
            "guest": df["CustomerID"].isna(),
            "product": df["StockCode"].str.fullmatch(PRODUCT_CODE),
        }
    )


@pytest.fixture(scope="module")
def revenue(df: pd.DataFrame) -> pd.Series:
    """Net revenue per customer (cancellations included), largest first."""
    amount = df["Quantity"] * df["UnitPrice"]
    return amount.groupby(df["CustomerID"]).sum().sort_values(ascending=False)


@pytest.fixture(scope="module")
def purchases(df: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Customer lines of ordinary (not cancelled, not adjusting) invoices."""
    return df[~flags["cancel"] & ~flags["bad_debt"] & ~flags["guest"]]


# ---- determinism and layout -------------------------------------------------


def test_columns_and_dtypes(df: pd.DataFrame) -> None:
    assert tuple(df.columns) == COLUMNS
    assert list(df.columns) == [
        "InvoiceNo",
        "StockCode",
        "Description",
        "Quantity",
        "InvoiceDate",
        "UnitPrice",
        "CustomerID",
        "Country",
    ]
    assert pd.api.types.is_integer_dtype(df["Quantity"])
    assert pd.api.types.is_datetime64_any_dtype(df["InvoiceDate"])
    assert pd.api.types.is_float_dtype(df["UnitPrice"])
    ids = df["CustomerID"].dropna()
    assert (ids == ids.round()).all()


def test_generation_is_deterministic(df: pd.DataFrame) -> None:
    again = generate_transactions()
    pd.testing.assert_frame_equal(df, again)
    other = generate_transactions(n_customers=200, seed=1)
    assert not other.equals(generate_transactions(n_customers=200, seed=2))


def test_generation_is_fast(generated: tuple[pd.DataFrame, float]) -> None:
    assert generated[1] < 10.0


def test_written_files_are_byte_identical(tmp_path) -> None:
    first, second = tmp_path / "a" / "t.csv.gz", tmp_path / "b" / "t.csv.gz"
    write_sample(first, n_customers=300, seed=5)
    write_sample(second, n_customers=300, seed=5)
    raw = first.read_bytes()
    assert raw == second.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    assert raw[4:8] == b"\x00\x00\x00\x00"  # gzip mtime 0
    assert raw[3] & 0x08 == 0  # no file name in the header


def test_default_file_format(df: pd.DataFrame, tmp_path) -> None:
    path = tmp_path / "transactions.csv.gz"
    write_sample(path)
    raw = path.read_bytes()
    assert len(raw) < 2_000_000
    text = gzip.decompress(raw).decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n")
    assert text == to_csv_bytes(df).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(COLUMNS)
    body = rows[1:]
    assert len(body) == len(df)
    date = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00")
    for invoice, code, _, qty, when, price, customer, country in body:
        assert re.fullmatch(r"[CA]?\d{6}", invoice)
        assert code and country
        assert re.fullmatch(r"-?\d+", qty)
        assert date.fullmatch(when)
        assert re.fullmatch(r"-?\d+\.\d{1,2}", price)
        assert re.fullmatch(r"(\d{5})?", customer)
    # Quoting round-trips: descriptions with commas, quotes and trailing spaces.
    assert any('"' in row[2] for row in body)
    assert any("," in row[2] for row in body)
    back = pd.read_csv(
        path,
        dtype={"InvoiceNo": str, "StockCode": str, "Description": str},
        parse_dates=["InvoiceDate"],
        keep_default_na=False,
        na_values={"Description": [""], "CustomerID": [""]},
    )
    pd.testing.assert_frame_equal(back, df, check_dtype=False)


def test_cli_prints_summary(tmp_path, capsys) -> None:
    out = tmp_path / "s.csv.gz"
    assert main(["--out", str(out), "--customers", "40", "--seed", "3"]) == 0
    line = capsys.readouterr().out.strip()
    assert "\n" not in line
    match = re.search(r"(\d+) rows, (\d+) customers, (\d+) bytes", line)
    assert match is not None
    assert int(match[2]) == 40
    assert int(match[3]) == out.stat().st_size
    assert int(match[1]) == len(generate_transactions(n_customers=40, seed=3))


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="n_customers"):
        generate_transactions(n_customers=5)
    with pytest.raises(ValueError, match="n_customers"):
        generate_transactions(n_customers=7001)
    with pytest.raises(ValueError, match="period"):
        generate_transactions(start="2011-01-01", end="2010-01-01")


# ---- size, customers, countries, dates --------------------------------------


def test_size(df: pd.DataFrame) -> None:
    assert 40_000 <= len(df) <= 70_000


def test_customers(df: pd.DataFrame) -> None:
    ids = df["CustomerID"].dropna()
    assert 2_900 <= ids.nunique() <= 3_100
    assert ids.between(12000, 18999).all()
    # Every customer lives in one country.
    assert (
        (df.dropna(subset=["CustomerID"]).groupby("CustomerID")["Country"])
        .agg("nunique")
        .max()
        == 1
    )


def test_countries(df: pd.DataFrame) -> None:
    assert 5 <= df["Country"].nunique() <= 8
    assert set(df["Country"]) <= EXPECTED_COUNTRIES
    country = df.dropna(subset=["CustomerID"]).groupby("CustomerID")["Country"].first()
    assert 0.85 <= (country == "United Kingdom").mean() <= 0.90


def test_dates_span_two_years(df: pd.DataFrame) -> None:
    when = df["InvoiceDate"]
    assert when.min() >= START
    assert when.max() < END + pd.Timedelta(days=1)
    assert (when.max() - when.min()).days >= 700
    assert (when.dt.second == 0).all()
    assert not (when.dt.day_of_week == 5).any()  # the shop is shut on Saturdays


# ---- invoices and catalogue -------------------------------------------------


def test_invoices(df: pd.DataFrame) -> None:
    invoice = df["InvoiceNo"]
    assert invoice.str.fullmatch(r"[CA]?\d{6}").all()
    lines = df.groupby("InvoiceNo").size()
    assert lines.min() >= 1
    assert lines.max() <= 30
    assert lines.max() >= 20
    # Numbers increase with time, and rows come grouped by invoice in order.
    number = invoice.str.lstrip("CA").astype(int)
    assert number.is_monotonic_increasing
    assert df["InvoiceDate"].is_monotonic_increasing
    header = df.groupby("InvoiceNo")[["InvoiceDate", "CustomerID", "Country"]]
    assert (header.nunique(dropna=False) == 1).all().all()


def test_catalogue(df: pd.DataFrame, flags: pd.DataFrame) -> None:
    products = df[flags["product"]]
    assert 200 <= products["StockCode"].nunique() <= 600
    assert products["StockCode"].str.fullmatch(r"\d{5}[A-Z]").any()
    assert products["StockCode"].str.fullmatch(r"\d{5}").any()
    assert {"POST", "M", "DOT"} <= set(df["StockCode"])
    assert set(df.loc[~flags["product"], "StockCode"]) <= {"POST", "M", "DOT", "B"}
    priced = products[products["UnitPrice"] > 0]
    assert priced["UnitPrice"].min() == pytest.approx(0.19)
    assert 10 <= priced["UnitPrice"].max() <= 15
    # Fixed description and price per product on priced lines.
    per_code = priced.groupby("StockCode")[["Description", "UnitPrice"]].nunique()
    assert (per_code == 1).all().all()


def test_prices_have_at_most_two_decimals(df: pd.DataFrame) -> None:
    cents = df["UnitPrice"] * 100
    assert np.allclose(cents, cents.round())


# ---- behaviour mixture -------------------------------------------------------


def test_frequency_mixture(purchases: pd.DataFrame) -> None:
    invoices = purchases.groupby("CustomerID")["InvoiceNo"].nunique()
    assert 0.25 <= (invoices == 1).mean() <= 0.50  # many one-off buyers
    assert (invoices.between(2, 9)).mean() >= 0.30  # repeat buyers
    assert (invoices >= 10).mean() >= 0.05  # regulars
    assert invoices.max() >= 40  # wholesalers order often


def test_recency_mixture(purchases: pd.DataFrame) -> None:
    end = purchases["InvoiceDate"].max()
    last = purchases.groupby("CustomerID")["InvoiceDate"].max()
    first = purchases.groupby("CustomerID")["InvoiceDate"].min()
    assert ((end - last).dt.days > 365).mean() >= 0.10  # churned
    assert ((end - last).dt.days <= 30).mean() >= 0.10  # recently active
    assert ((end - first).dt.days <= 90).mean() >= 0.05  # new customers


def test_revenue_is_heavy_tailed(revenue: pd.Series) -> None:
    n_top = round(len(revenue) * 0.01)
    top_share = revenue.iloc[:n_top].sum() / revenue.sum()
    assert top_share > 0.15
    assert revenue.iloc[0] > 20 * revenue.median()


# ---- quirks ------------------------------------------------------------------


def test_missing_customer_share(df: pd.DataFrame) -> None:
    assert 0.20 <= df["CustomerID"].isna().mean() <= 0.25


def test_cancellations(df: pd.DataFrame, flags: pd.DataFrame) -> None:
    cancel = df[flags["cancel"]]
    assert 0.015 <= len(cancel) / len(df) <= 0.02
    assert (cancel["Quantity"] < 0).all()
    assert cancel["CustomerID"].notna().all()
    # Each cancelled line takes back an earlier purchase of the same customer.
    bought = df[~flags["cancel"] & ~flags["guest"] & (df["Quantity"] > 0)]
    earliest = bought.groupby(["CustomerID", "StockCode"])["InvoiceDate"].min()
    largest = bought.groupby(["CustomerID", "StockCode"])["Quantity"].max()
    key = pd.MultiIndex.from_frame(cancel[["CustomerID", "StockCode"]])
    assert key.isin(earliest.index).all()
    assert (earliest.reindex(key).to_numpy() < cancel["InvoiceDate"].to_numpy()).all()
    assert (largest.reindex(key).to_numpy() >= -cancel["Quantity"].to_numpy()).all()


def test_adjustments_without_customer(df: pd.DataFrame, flags: pd.DataFrame) -> None:
    adjust = df[(df["Quantity"] < 0) & ~flags["cancel"]]
    assert len(adjust) >= 20
    assert adjust["CustomerID"].isna().all()
    assert (adjust["UnitPrice"] == 0).all()


def test_zero_and_negative_prices(df: pd.DataFrame) -> None:
    assert 0.003 <= (df["UnitPrice"] == 0).mean() <= 0.005
    negative = df[df["UnitPrice"] < 0]
    assert 1 <= len(negative) <= 5
    assert negative["InvoiceNo"].str.startswith("A").all()
    assert (negative["StockCode"] == "B").all()
    assert (negative["Description"] == "Adjust bad debt").all()
    assert negative["CustomerID"].isna().all()


def test_exact_duplicates(df: pd.DataFrame) -> None:
    share = df.duplicated().mean()
    assert 0.005 <= share <= 0.015


def test_descriptions(df: pd.DataFrame) -> None:
    missing = df["Description"].isna()
    assert 1 <= missing.sum() <= 0.005 * len(df)
    trailing = df["Description"].dropna()
    trailing = trailing[trailing.str.endswith(" ")].unique()
    assert 1 <= len(trailing) <= 30


def test_huge_order_cancelled_minutes_later(
    df: pd.DataFrame, flags: pd.DataFrame
) -> None:
    huge = df[(df["Quantity"] >= 70_000) & ~flags["cancel"]]
    assert len(huge) == 1
    order = huge.iloc[0]
    assert pd.notna(order["CustomerID"])
    undo = df[
        flags["cancel"]
        & (df["CustomerID"] == order["CustomerID"])
        & (df["StockCode"] == order["StockCode"])
        & (df["Quantity"] == -order["Quantity"])
    ]
    assert len(undo) == 1
    delay = undo["InvoiceDate"].iloc[0] - order["InvoiceDate"]
    assert pd.Timedelta(0) < delay <= pd.Timedelta(minutes=60)
    assert df["Quantity"].abs().max() == order["Quantity"]


def test_small_samples_work() -> None:
    small = generate_transactions(n_customers=10, seed=3)
    assert small["CustomerID"].nunique() == 10
    assert (small["Quantity"] >= 70_000).sum() == 1
    assert small["InvoiceNo"].str.startswith("C").any()
