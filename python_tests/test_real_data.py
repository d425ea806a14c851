"""Integration: the default run on the real UCI data in ../shared/data.

Skipped where that data is absent. Each data set is built once per module
(dbt build with every test); the assertions then read the marts.
"""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from python_tests.dbt_runner import SHARED_DATA, run_dbt

ONLINE_RETAIL = SHARED_DATA / "online_retail.csv.gz"
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


def build(path, tmp_path_factory, name, extra_vars=None):
    if not path.exists():
        pytest.skip(f"{path} is not here")
    workdir = tmp_path_factory.mktemp(name)
    run = run_dbt(
        ["build"], workdir, vars={"transactions_path": str(path), **(extra_vars or {})}
    )
    assert run.returncode == 0, run.output[-4000:]
    run.workdir = workdir
    run.vars = {"transactions_path": str(path), **(extra_vars or {})}
    return run


@pytest.fixture(scope="module")
def online_retail(tmp_path_factory):
    # with the optional distinct_products, so that it is checked too
    return build(
        ONLINE_RETAIL,
        tmp_path_factory,
        "online_retail",
        {"count_distinct_products": True},
    )


@pytest.fixture(scope="module")
def online_retail_ii(tmp_path_factory):
    return build(
        ONLINE_RETAIL_II,
        tmp_path_factory,
        "online_retail_ii",
        {"transaction_columns": UCI_II_COLUMNS},
    )


def expected_features(path, columns) -> pd.DataFrame:
    """The feature definitions, computed independently with pandas."""
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
    has_customer = lines.customer_id != ""
    is_cancellation = lines.invoice_id.str.upper().str.startswith("C")
    duplicate = lines.duplicated(keep="first")
    kept = lines[
        has_customer
        & ~is_cancellation
        & (lines.quantity > 0)
        & (lines.unit_price > 0)
        & ~duplicate
    ].copy()
    kept["value"] = kept.quantity * kept.unit_price
    as_of = kept.invoiced_at.max().normalize() + pd.Timedelta(days=1)
    grouped = kept.groupby("customer_id")
    features = pd.DataFrame(
        {
            "last_order": grouped.invoiced_at.max().dt.normalize(),
            "first_order": grouped.invoiced_at.min().dt.normalize(),
            "frequency": grouped.invoice_id.nunique(),
            "monetary": grouped.value.sum(),
            "units": grouped.quantity.sum(),
            "distinct_products": grouped.product_id.nunique(),
        }
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
    for column in ("monetary", "avg_order_value", "units"):
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


MARTS = (
    "customer_segments",
    "segment_profiles",
    "cluster_diagnostics",
    "segment_feature_stats",
    "transaction_audit",
)


def marts_fingerprint(run) -> dict:
    """Per mart: rows and a hash of all rows in a fixed order."""
    return {
        mart: run.query(
            f"with rows as (select * from {mart}) select count(*), md5(string_agg("
            "cast(rows as varchar), '|' order by cast(rows as varchar))) from rows"
        )[0]
        for mart in MARTS
    }


def test_online_retail_second_run_gives_the_same_marts(online_retail):
    before = marts_fingerprint(online_retail)
    again = run_dbt(["run"], online_retail.workdir, vars=online_retail.vars)
    assert again.returncode == 0, again.output[-4000:]
    assert marts_fingerprint(again) == before
