"""Integration: customer value (BG/NBD, MBG/NBD, Gamma-Gamma) on the real UCI data.

Reads the session's build of ../shared/data/online_retail.csv.gz (fixture
``online_retail``, shared with test_real_data.py: no build of its own),
recomputes the models' inputs from the raw file with pandas (the cleaning
rules of test_real_data.read_lines), and recomputes the scores from the
fitted parameters with segmentation.value. Skipped where the data is absent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from python_tests.conftest import ONLINE_RETAIL
from python_tests.test_lifecycle_real_data import VARS
from python_tests.test_real_data import UCI_COLUMNS, read_lines
from segmentation import value

pytestmark = pytest.mark.integration

AS_OF = pd.Timestamp("2011-12-10")
HOLDOUT_START = AS_OF - pd.Timedelta(days=VARS["value_holdout_days"])


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    return read_lines(ONLINE_RETAIL, UCI_COLUMNS)


def by_invoice_day(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines summed per customer and day, an invoice dated by its last line."""
    lines = lines.assign(value=lines.quantity * lines.unit_price)
    invoices = lines.groupby(["customer_id", "invoice_id"]).agg(
        day=("invoiced_at", "max"), value=("value", "sum")
    )
    invoices["day"] = invoices.day.dt.normalize()
    return invoices.groupby(["customer_id", "day"]).value.sum().reset_index()


@pytest.fixture(scope="module")
def purchase_days(lines) -> pd.DataFrame:
    """One row per customer and purchase day (a day with a kept invoice),
    with what was bought that day."""
    return by_invoice_day(lines[lines.is_kept])


@pytest.fixture(scope="module")
def return_days(lines) -> pd.DataFrame:
    """One row per customer and day with a return (a cancellation of a known
    customer, counted once, before the as-of date), its value positive."""
    returns = lines[
        lines.has_customer
        & lines.is_cancellation
        & ~lines.is_duplicate
        & (lines.invoiced_at < AS_OF)
    ]
    days = by_invoice_day(returns)
    return days.assign(value=-days.value)


@pytest.fixture(scope="module")
def customer_value(online_retail) -> pd.DataFrame:
    return online_retail.frame("select * from customer_value").set_index("customer_id")


@pytest.fixture(scope="module")
def value_model(online_retail) -> pd.DataFrame:
    return online_retail.frame("select * from value_model").set_index(
        ["purchase_model", "fit_period"]
    )


def test_inputs_follow_the_published_definitions(
    customer_value, purchase_days, return_days
):
    days = purchase_days.sort_values(["customer_id", "day"])
    by_customer = days.groupby("customer_id")
    first, last = by_customer.day.min(), by_customer.day.max()
    expected = pd.DataFrame(
        {
            "repeat_purchase_days": by_customer.size() - 1,
            "days_first_to_last_purchase": (last - first).dt.days,
            "days_since_first_purchase": (AS_OF - first).dt.days,
        }
    )
    repeat = days[by_customer.cumcount() > 0].groupby("customer_id").value
    # net of the returns made after the first purchase day, never below 0
    later = return_days[
        return_days.day > first.reindex(return_days.customer_id).to_numpy()
    ]
    returned = later.groupby("customer_id").value.sum()
    net = (repeat.sum() - returned.reindex(repeat.sum().index, fill_value=0)).clip(0)
    mean = net / repeat.size()
    actual = customer_value.loc[expected.index]
    assert len(customer_value) == len(expected)
    for column in expected.columns:
        assert (actual[column] == expected[column]).all(), column
    # the repeat days' mean value; null without a repeat day
    has_repeat = expected.index.isin(mean.index)
    assert (actual.repeat_purchase_value_mean.isna().to_numpy() == ~has_repeat).all()
    np.testing.assert_allclose(
        actual.repeat_purchase_value_mean.dropna(),
        mean.loc[actual.repeat_purchase_value_mean.dropna().index],
        # each order is rounded to the cent, then the mean
        atol=0.011,
    )
    # one purchase day: x = 0 and t_x = 0
    single = actual[actual.purchase_days == 1]
    assert len(single) > 0
    assert (single.repeat_purchase_days == 0).all()
    assert (single.days_first_to_last_purchase == 0).all()


def test_every_customer_is_scored(customer_value, online_retail):
    (customers,) = online_retail.query("select count(*) from customer_segments")[0]
    assert len(customer_value) == customers
    assert customer_value.p_alive.between(0, 1).all()
    assert (customer_value.predicted_clv >= 0).all()
    assert (customer_value.expected_purchase_days >= 0).all()
    assert customer_value.predicted_clv.sum() > 0


def test_value_model_holds_both_purchase_models_and_gamma_gamma(value_model):
    assert sorted(value_model.index) == [
        ("bg_nbd", "calibration"),
        ("bg_nbd", "full"),
        ("gamma_gamma", "full"),
        ("mbg_nbd", "calibration"),
        ("mbg_nbd", "full"),
    ]
    purchase = value_model.loc[["bg_nbd", "mbg_nbd"]]
    assert (purchase[["r", "alpha", "a", "b"]] > 0).all().all()
    assert np.isfinite(purchase.log_likelihood).all()
    # a year of a wholesaler's customers shows no silent drop-out: calibrated
    # before the holdout, the drop-out parameter a is on its lower bound
    calibration = value_model.loc[("bg_nbd", "calibration")]
    assert "a" in calibration.parameters_at_bound.split(",")
    spend = value_model.loc[("gamma_gamma", "full")]
    assert spend.q > 1 and spend.p > 0 and spend.gamma > 0
    assert -1 <= spend.spend_frequency_correlation <= 1


def test_scores_are_the_published_formulas_of_the_fitted_parameters(
    customer_value, value_model
):
    fit = value_model.loc[(VARS["purchase_model"], "full")]
    params = (fit.r, fit.alpha, fit.a, fit.b)
    x = customer_value.repeat_purchase_days.to_numpy()
    t_x = customer_value.days_first_to_last_purchase.to_numpy()
    big_t = customer_value.days_since_first_purchase.to_numpy()
    alive = value.p_alive(VARS["purchase_model"], params, x, t_x, big_t)
    np.testing.assert_allclose(customer_value.p_alive, alive, atol=1e-6)
    expected = value.conditional_expected_purchases(
        VARS["purchase_model"], params, x, t_x, big_t, VARS["value_horizon_days"]
    )
    np.testing.assert_allclose(
        customer_value.expected_purchase_days, expected, rtol=1e-6, atol=1e-6
    )
    spend = value_model.loc[("gamma_gamma", "full")]
    spend_value = value.expected_purchase_value(
        (spend.p, spend.q, spend.gamma),
        x,
        customer_value.repeat_purchase_value_mean.to_numpy(dtype=float),
    )
    np.testing.assert_allclose(
        customer_value.expected_purchase_value, spend_value, atol=0.006
    )


def test_often_and_recent_is_more_alive_than_often_long_ago(customer_value):
    frequent = customer_value[customer_value.repeat_purchase_days >= 5]
    since_last = (
        frequent.days_since_first_purchase - frequent.days_first_to_last_purchase
    )
    recent = frequent[since_last <= 30]
    lapsed = frequent[since_last >= 180]
    assert len(recent) > 0 and len(lapsed) > 0
    assert recent.p_alive.mean() > lapsed.p_alive.mean()


def test_validation_counts_the_holdout_and_predicts_it_roughly(
    online_retail, purchase_days
):
    validation = online_retail.frame("select * from value_model_validation")
    totals = validation[validation.frequency_group == "all"].set_index("purchase_model")
    assert sorted(totals.index) == ["bg_nbd", "mbg_nbd"]
    first = purchase_days.groupby("customer_id").day.min()
    known = first[first < HOLDOUT_START].index
    holdout = purchase_days[
        (purchase_days.day >= HOLDOUT_START) & purchase_days.customer_id.isin(known)
    ]
    for model, row in totals.iterrows():
        assert row.customers == len(known), model
        assert row.actual_purchase_days == len(holdout), model
        # a usable forecast: within a factor of two of what happened
        assert 0.5 < row.predicted_to_actual_ratio < 2, model
    groups = validation[validation.frequency_group != "all"]
    assert sorted(groups.frequency_group.unique()) == [*map(str, range(7)), "7+"]
