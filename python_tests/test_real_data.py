"""Integration: the default run on the real UCI data in ../shared/data.

Skipped where that data is absent. Each data set is built once per module
(dbt build with every test); the assertions then read the marts.
"""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from python_tests.conftest import (
    MODELS_ONLY,
    ONLINE_RETAIL,
    WITHOUT_HISTORY,
    build_real_data,
    copy_run_dir,
)
from tools.dbt_runner import SHARED_DATA, run_dbt
from tools.marts import marts_fingerprint as fingerprint

ONLINE_RETAIL_II = SHARED_DATA / "online_retail_ii_2009_2010.csv.gz"

pytestmark = pytest.mark.integration

#: canonical name -> column, in each file's layout
UCI_COLUMNS = {
    "invoice_id": "InvoiceNo",
    "product_id": "StockCode",
    "description": "Description",
    "quantity": "Quantity",
    "invoiced_at": "InvoiceDate",
    "unit_price": "UnitPrice",
    "customer_id": "CustomerID",
    "country": "Country",
}
UCI_II_COLUMNS = {
    **UCI_COLUMNS,
    "invoice_id": "Invoice",
    "unit_price": "Price",
    "customer_id": "Customer ID",
}


@pytest.fixture(scope="module")
def online_retail_ii(tmp_path_factory):
    # today's segments and their tests: the history's models and tests run
    # on the other real data set (conftest's online_retail)
    return build_real_data(
        ONLINE_RETAIL_II,
        tmp_path_factory,
        "online_retail_ii",
        {"transaction_columns": UCI_II_COLUMNS},
        selection=WITHOUT_HISTORY,
    )


#: read_lines' frames, read once per session (path, column map) -> lines
_LINES: dict[tuple, pd.DataFrame] = {}


def read_lines(path, columns) -> pd.DataFrame:
    """Every raw line, parsed independently with pandas, with the cleaning
    rules' flags: has_customer, is_cancellation, is_duplicate and is_kept
    (a first copy of a purchase line of a known customer, quantity and
    price positive). Read once per session and shared by the real-data
    modules: filter or copy it, never change it in place."""
    key = (str(path), tuple(sorted(columns.items())))
    if key not in _LINES:
        _LINES[key] = _read_lines(path, columns)
    return _LINES[key]


def _read_lines(path, columns) -> pd.DataFrame:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    raw = raw.rename(columns={v: k for k, v in columns.items()})
    lines = pd.DataFrame(
        {
            "invoice_id": raw.invoice_id.str.strip(),
            "product_id": raw.product_id.str.strip(),
            "customer_id": raw.customer_id.str.strip().str.replace(
                r"\.0+$", "", regex=True
            ),
            "country": raw.country.str.strip(),
            "description": raw.description.str.strip(),
            "quantity": pd.to_numeric(raw.quantity),
            "unit_price": pd.to_numeric(raw.unit_price),
            "invoiced_at": pd.to_datetime(raw.invoiced_at),
        }
    )
    # an exact copy of an earlier line, once parsed
    lines["is_duplicate"] = lines.duplicated(keep="first")
    lines["has_customer"] = lines.customer_id != ""
    lines["is_cancellation"] = lines.invoice_id.str.upper().str.startswith("C")
    lines["is_kept"] = (
        lines.has_customer
        & ~lines.is_cancellation
        & (lines.quantity > 0)
        & (lines.unit_price > 0)
        & ~lines.is_duplicate
    )
    return lines


def expected_features(path, columns) -> pd.DataFrame:
    """The feature definitions, computed independently with pandas."""
    lines = read_lines(path, columns)
    kept = lines[lines.is_kept].copy()
    kept["value"] = kept.quantity * kept.unit_price
    as_of = kept.invoiced_at.max().normalize() + pd.Timedelta(days=1)
    # a return: a cancellation line of a known customer, counted once, and
    # not after the as-of date; its value is what the customer took back
    returns = lines[
        lines.has_customer
        & lines.is_cancellation
        & ~lines.is_duplicate
        & (lines.invoiced_at < as_of)
    ].copy()
    returns["value"] = -returns.quantity * returns.unit_price
    returned = returns.groupby("customer_id").value.sum()
    grouped = kept.groupby("customer_id")
    features = pd.DataFrame(
        {
            "last_order": grouped.invoiced_at.max().dt.normalize(),
            "first_order": grouped.invoiced_at.min().dt.normalize(),
            "frequency": grouped.invoice_id.nunique(),
            "gross_monetary": grouped.value.sum(),
            "units": grouped.quantity.sum(),
            "distinct_products": grouped.product_id.nunique(),
        }
    )
    features["returned_value"] = returned.reindex(features.index).fillna(0.0)
    # net spend, floored at 0 (var monetary_basis: net, the default)
    features["monetary"] = (features.gross_monetary - features.returned_value).clip(
        lower=0
    )
    features["recency_days"] = (as_of - features.last_order).dt.days
    features["tenure_days"] = (as_of - features.first_order).dt.days
    features["avg_order_value"] = features.monetary / features.frequency
    return features


def test_online_retail_gives_the_known_customers_and_audit(online_retail):
    (customers,) = online_retail.query("select count(*) from customer_segments")[0]
    assert customers == 4338
    audit = dict(
        online_retail.query("select outcome, line_count from transaction_audit")
    )
    assert sum(audit.values()) == 541_909
    assert audit["missing_customer"] == 135_080
    assert audit["kept"] == 392_692


def test_online_retail_features_match_their_definitions(online_retail):
    expected = expected_features(
        ONLINE_RETAIL,
        UCI_COLUMNS,
    )
    actual = online_retail.frame("select * from customer_segments").set_index(
        "customer_id"
    )
    assert sorted(actual.index) == sorted(expected.index)
    actual = actual.loc[expected.index]
    for column in ("recency_days", "tenure_days", "frequency", "distinct_products"):
        assert (actual[column].to_numpy() == expected[column].to_numpy()).all(), column
    for column in (
        "monetary",
        "gross_monetary",
        "returned_value",
        "avg_order_value",
        "units",
    ):
        np.testing.assert_allclose(
            actual[column].to_numpy(dtype=float),
            expected[column].to_numpy(dtype=float),
            atol=0.006,
            err_msg=column,
        )


def test_online_retail_segments_are_usable_for_marketing(online_retail):
    profiles = online_retail.frame("select * from segment_profiles order by segment_id")
    diagnostics = online_retail.frame("select * from cluster_diagnostics order by k")
    selected = diagnostics[diagnostics.is_selected]
    assert len(selected) == 1
    assert 3 <= selected.k.item() <= 8
    assert diagnostics.k.tolist() == list(range(2, 11))
    assert selected.stability_ari.item() >= 0.8
    assert profiles.customer_share.min() >= 0.02
    assert profiles.segment_name.is_unique
    # names match medians: segment 1 is the most recent, frequent, big spender
    top = profiles.iloc[0]
    assert top.median_recency_days == profiles.median_recency_days.min()
    assert top.median_frequency == profiles.median_frequency.max()
    assert top.median_monetary == profiles.median_monetary.max()
    assert top.segment_name not in {"At Risk", "Hibernating", "Lost", "About to Sleep"}
    lapsed = profiles.loc[profiles.median_recency_days.idxmax()]
    assert lapsed.segment_name in {"Hibernating", "Lost", "About to Sleep", "At Risk"}
    # every name fits its segment's medians (the warn test's threshold)
    assert (profiles.name_fit <= 0.2).all(), profiles[["segment_name", "name_fit"]]
    # the one-order segment with big orders is not named for low value
    one_order = profiles[profiles.median_frequency == 1]
    big_orders = one_order.loc[one_order.median_avg_order_value.idxmax()]
    assert big_orders.median_avg_order_value > profiles.median_avg_order_value.min()
    assert big_orders.segment_name == "Big One-Timers"
    assert "discount" not in big_orders.recommended_action
    # the k rule's verdict names the elbow k it was judged against
    assert "elbow (k = " in selected.verdict.item()
    assert selected.naming_verdict.item().startswith("named afresh: first run")


def test_online_retail_revenue_is_net_of_returns(online_retail):
    customers = online_retail.frame(
        "select customer_id, segment_id, monetary, gross_monetary, returned_value "
        "from customer_segments"
    ).set_index("customer_id")
    # the 80,995-unit order and its cancellation: bought and took back
    assert customers.loc["16446", "gross_monetary"] == pytest.approx(168_472.50)
    assert customers.loc["16446", "monetary"] == pytest.approx(2.90)
    assert customers.loc["12346", "monetary"] == 0
    # nobody who returned 90% or more of what they bought is a top customer
    returners = customers[customers.returned_value >= 0.9 * customers.gross_monetary]
    assert len(returners) > 10
    assert (returners.segment_id != 1).all()
    (revenue, gross) = online_retail.query(
        "select sum(revenue), sum(gross_revenue) from segment_profiles"
    )[0]
    assert revenue == pytest.approx(customers.monetary.sum(), abs=0.01)
    assert gross == pytest.approx(customers.gross_monetary.sum(), abs=0.01)
    assert revenue < gross


def segments_of(run) -> tuple[list, list]:
    """Each customer's segment and each segment's name and action."""
    return (
        run.query(
            "select customer_id, segment_id, segment_name from customer_segments "
            "order by customer_id"
        ),
        run.query(
            "select segment_id, segment_name, recommended_action, customers "
            "from segment_profiles order by segment_id"
        ),
    )


def test_names_never_carry_over_from_another_data_set(online_retail, tmp_path):
    # the README's order: make build on the sample, then the real data into
    # the same database
    database = tmp_path / "shared.duckdb"
    # the names are today's segments': the history is left out
    sample = run_dbt(
        ["build", *MODELS_ONLY, *WITHOUT_HISTORY],
        tmp_path / "sample",
        database=database,
    )
    assert sample.returncode == 0, sample.output[-4000:]
    real = run_dbt(
        ["build", *MODELS_ONLY, *WITHOUT_HISTORY],
        tmp_path / "real",
        vars=online_retail.vars,
        database=database,
    )
    assert real.returncode == 0, real.output[-4000:]
    assert segments_of(real) == segments_of(online_retail)
    (verdict,) = real.query(
        "select naming_verdict from cluster_diagnostics where is_selected"
    )[0]
    assert verdict.startswith("named afresh: the previous run read other input")


def test_online_retail_ii_through_a_column_map(online_retail_ii):
    audit = dict(
        online_retail_ii.query("select outcome, line_count from transaction_audit")
    )
    assert sum(audit.values()) == 525_461
    assert audit["missing_customer"] == 107_927
    (customers,) = online_retail_ii.query("select count(*) from customer_segments")[0]
    expected = expected_features(
        ONLINE_RETAIL_II,
        UCI_II_COLUMNS,
    )
    assert customers == len(expected)
    actual = (
        online_retail_ii.frame(
            "select customer_id, frequency, monetary from customer_segments"
        )
        .set_index("customer_id")
        .loc[expected.index]
    )
    assert (actual.frequency.to_numpy() == expected.frequency.to_numpy()).all()
    np.testing.assert_allclose(actual.monetary, expected.monetary, atol=0.006)
    # var count_distinct_products is off by default: no extra pass, no count
    assert online_retail_ii.query(
        "select count(distinct_products) from customer_segments"
    ) == [(0,)]


def marts_fingerprint(run) -> dict:
    """Every mart's rows and hash (the naming verdict left out: a rerun says
    that it kept the segments)."""
    return fingerprint(run.database, exclude=["naming_verdict"])


def test_online_retail_second_run_gives_the_same_marts(online_retail, tmp_path):
    before = marts_fingerprint(online_retail)
    # in a copy: the shared build stays a first run (test_spark compares it)
    workdir = copy_run_dir(online_retail.workdir, tmp_path / "again")
    again = run_dbt(["run"], workdir, vars=online_retail.vars)
    assert again.returncode == 0, again.output[-4000:]
    assert marts_fingerprint(again) == before
    (verdict,) = again.query(
        "select naming_verdict from cluster_diagnostics where is_selected"
    )[0]
    assert verdict.startswith("kept the previous run's ids and names")
