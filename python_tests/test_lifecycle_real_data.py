"""Integration: lifecycle stages and cohort retention on the real UCI data.

Reads the session's build of ../shared/data/online_retail.csv.gz (fixture
``online_retail``, shared with test_real_data.py: no build of its own) and
checks the marts against pandas computations from the raw file, with the
cleaning rules of test_real_data.read_lines. Skipped where the data is
absent.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

from python_tests.conftest import ONLINE_RETAIL
from python_tests.test_real_data import UCI_COLUMNS, read_lines
from tools.dbt_runner import PROJECT_DIR

pytestmark = pytest.mark.integration

#: the vars of the build: the defaults of dbt_project.yml
VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]


@pytest.fixture(scope="module")
def kept_invoices(online_retail) -> pd.DataFrame:
    """One row per kept invoice of a customer: its first and last line's
    date (an order counts from the date of its last line)."""
    lines = read_lines(ONLINE_RETAIL, UCI_COLUMNS)
    kept = lines[lines.is_kept]
    invoices = kept.groupby(["customer_id", "invoice_id"]).invoiced_at.agg(
        ["min", "max"]
    )
    return pd.DataFrame(
        {
            "first_date": invoices["min"].dt.normalize(),
            "order_date": invoices["max"].dt.normalize(),
        }
    ).reset_index()


def test_history_has_thirteen_monthly_as_of_dates(online_retail):
    dates = [
        row[0]
        for row in online_retail.query(
            "select as_of_date from internal.int_as_of_dates__spine order by as_of_date"
        )
    ]
    assert dates == [dt.date(2011, month, 1) for month in range(1, 13)] + [
        dt.date(2011, 12, 10)
    ]


def test_every_customer_has_the_stage_of_its_rules(online_retail, kept_invoices):
    actual = online_retail.frame(
        "select customer_id, stage from customer_lifecycle"
    ).set_index("customer_id")
    (customers,) = online_retail.query("select count(*) from customer_segments")[0]
    assert len(actual) == customers
    assert actual.stage.notna().all()
    # the stages at the current as-of date, from the raw lines
    as_of = kept_invoices.order_date.max() + pd.Timedelta(days=1)
    assert as_of == pd.Timestamp("2011-12-10")
    by_customer = kept_invoices.groupby("customer_id")
    recency = (as_of - by_customer.order_date.max()).dt.days
    tenure = (as_of - by_customer.first_date.min()).dt.days
    # churned at the previous as-of date: orders before it only
    previous = pd.Timestamp("2011-12-01")
    before = kept_invoices[kept_invoices.order_date < previous]
    last_before = before.groupby("customer_id").order_date.max()
    churned_days = VARS["lifecycle_churned_days"]
    was_churned = ((previous - last_before).dt.days >= churned_days).reindex(
        recency.index, fill_value=False
    )
    # the rules in reverse order of precedence: a later one wins
    stage = pd.Series("active", index=recency.index)
    stage[was_churned] = "reactivated"
    stage[tenure < VARS["lifecycle_new_days"]] = "new"
    stage[recency >= VARS["lifecycle_at_risk_days"]] = "at_risk"
    stage[recency >= churned_days] = "churned"
    assert sorted(actual.index) == sorted(stage.index)
    pd.testing.assert_series_equal(
        actual.stage.sort_index(), stage.sort_index(), check_names=False
    )
    # every stage occurs on real data, and the history counts them all
    counts = dict(
        online_retail.query(
            "select stage, customers from lifecycle_stage_history "
            "where as_of_date = date '2011-12-10'"
        )
    )
    assert counts == stage.value_counts().to_dict()
    assert min(counts.values()) > 0


def test_december_2010_cohort_retention_matches_pandas(online_retail, kept_invoices):
    months = kept_invoices.assign(month=kept_invoices.order_date.dt.to_period("M"))
    cohort_of = months.groupby("customer_id").month.min()
    cohort = cohort_of[cohort_of == pd.Period("2010-12", "M")].index
    active = (
        months[months.customer_id.isin(cohort)]
        .groupby("month")
        .customer_id.nunique()
        .reindex(pd.period_range("2010-12", "2011-12", freq="M"), fill_value=0)
    )
    actual = online_retail.frame(
        "select months_since, cohort_customers, active_customers, "
        "retention_share, is_partial_month from cohort_retention "
        "where cohort_month = date '2010-12-01' order by months_since"
    )
    # Dec 2010 to Dec 2011; the last month ends before the as-of date
    assert actual.months_since.tolist() == list(range(13))
    assert actual.is_partial_month.tolist() == [False] * 12 + [True]
    assert (actual.cohort_customers == len(cohort)).all()
    assert actual.active_customers.tolist() == active.tolist()
    assert actual.retention_share.iloc[0] == 1.0
    pd.testing.assert_series_equal(
        actual.retention_share,
        (active / len(cohort)).round(6).reset_index(drop=True),
        check_names=False,
        atol=1e-6,
    )
