"""Segments as plain rules (segmentation/rules.py, segment_rules): the words
and SQL of each rule, and that the SQL conditions, run in the warehouse, give
exactly the decision tree's answer for every customer."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from segmentation.rules import (
    MONEY_FEATURES,
    Bound,
    RulesInputError,
    bound_sql,
    bound_words,
    fit_tree,
    half_unit,
    predict_rules,
    rules_frame,
    sql_number,
)
from tools.dbt_runner import PROJECT_DIR, query_db

FEATURES = ("recency_days", "frequency", "monetary", "avg_order_value")
#: the defaults of vars rules_max_depth, rules_min_leaf_share, random_state
DEPTH, MIN_LEAF_SHARE, SEED = 3, 0.01, 42


def customers(n: int = 3000, seed: int = 1) -> pd.DataFrame:
    """Customers whose segment follows their features, as K-Means' would:
    whole days and orders, money in whole cents (values near the thresholds
    a tree would choose included)."""
    rng = np.random.default_rng(seed)
    recency = rng.integers(0, 400, n)
    frequency = rng.integers(1, 40, n)
    monetary = np.round(rng.lognormal(6, 1.2, n), 2)
    aov = np.floor(monetary * 100 / frequency) / 100
    segment = np.where(
        recency > 180, 3, np.where(frequency >= 10, 1, np.where(monetary > 500, 2, 4))
    )
    noisy = rng.random(n) < 0.05
    segment[noisy] = rng.integers(1, 5, noisy.sum())
    return pd.DataFrame(
        {
            "customer_id": [f"{i:05d}" for i in range(n)],
            "segment_id": segment,
            "recency_days": recency,
            "frequency": frequency,
            "monetary": monetary,
            "avg_order_value": aov,
        }
    )


def rules_of(frame: pd.DataFrame) -> pd.DataFrame:
    return rules_frame(frame, FEATURES, MONEY_FEATURES, DEPTH, MIN_LEAF_SHARE, SEED)


def rule_segments(rules: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """The segment each customer's rule (read from its SQL text) stands for."""
    matched = predict_rules(rules, frame)
    assert matched.notna().all(), "a customer meets no rule"
    return matched.map(
        dict(zip(rules.rule_id, rules.segment_id, strict=True))
    ).to_numpy()


# ---- thresholds, words and SQL -------------------------------------------


def test_thresholds_move_to_the_half_unit_of_their_gap():
    assert half_unit(30.5, is_money=False) == 30.5
    assert half_unit(30.9999, is_money=False) == 30.5
    # the midpoint of 403.21 and 403.22, and of 10.01 and 10.05
    assert half_unit((403.21 + 403.22) / 2, is_money=True) == pytest.approx(403.215)
    # a threshold on a whole cent between 10.01 and 10.05: a half cent of
    # the gap (either side of 10.03 keeps the same customers on each side)
    moved = half_unit(10.03, is_money=True)
    assert 10.01 < moved < 10.05
    assert round(moved * 1000) % 10 == 5
    assert sql_number(403.215, is_money=True) == "403.215"
    assert sql_number(0.005, is_money=True) == "0.005"
    assert sql_number(56.5, is_money=False) == "56.5"


@pytest.mark.parametrize(
    ("bound", "is_money", "words", "sql"),
    [
        (Bound("recency_days", upper=30.5), False, "bought within 30 days", None),
        (
            Bound("recency_days", lower=30.5),
            False,
            "last bought more than 30 days ago",
            "recency_days > 30.5",
        ),
        (
            Bound("recency_days", 30.5, 90.5),
            False,
            "last bought 31 to 90 days ago",
            "recency_days > 30.5 and recency_days <= 90.5",
        ),
        (Bound("frequency", lower=4.5), False, "5 orders or more", None),
        (Bound("frequency", upper=1.5), False, "1 order", None),
        (Bound("frequency", upper=3.5), False, "3 orders or fewer", None),
        (Bound("frequency", 1.5, 3.5), False, "2 to 3 orders", None),
        (
            Bound("monetary", lower=1234.565),
            True,
            "spent more than £1,234.56",
            "monetary > 1234.565",
        ),
        (Bound("monetary", upper=44.145), True, "spent £44.14 or less", None),
        (
            Bound("avg_order_value", 22.645, 44.145),
            True,
            "average order £22.65 to £44.14",
            None,
        ),
        (Bound("units", lower=99.5), False, "units at least 100", None),
    ],
)
def test_a_bound_in_words_and_sql(bound, is_money, words, sql):
    assert bound_words(bound, is_money) == words
    if sql is not None:
        assert bound_sql(bound, is_money) == sql


def test_money_features_are_the_macros():
    """MONEY_FEATURES repeats macro money_feature_names (yml cannot call it)."""
    text = (PROJECT_DIR / "macros/features/money_feature_names.sql").read_text()
    listed = re.findall(r"'(\w+)'", text.split("return(", 1)[1])
    assert tuple(listed) == MONEY_FEATURES


# ---- the tree read as rules ----------------------------------------------


def test_rules_give_the_trees_answer_for_every_customer():
    frame = customers()
    rules = rules_of(frame)
    tree = fit_tree(frame, FEATURES, MONEY_FEATURES, DEPTH, MIN_LEAF_SHARE, SEED)
    predicted = tree.predict(frame[list(FEATURES)].to_numpy(dtype=float))
    np.testing.assert_array_equal(rule_segments(rules, frame), predicted)
    # unseen customers too: values the fit never saw, on both sides of
    # every threshold
    others = customers(n=5000, seed=2)
    predicted = tree.predict(others[list(FEATURES)].to_numpy(dtype=float))
    np.testing.assert_array_equal(rule_segments(rules, others), predicted)


def test_rules_are_few_plain_and_cover_their_share():
    frame = customers()
    rules = rules_of(frame)
    assert 2 <= len(rules) <= 2**DEPTH
    assert list(rules.rule_id) == list(range(1, len(rules) + 1))
    assert rules.segment_id.is_monotonic_increasing
    # a path of DEPTH splits: at most DEPTH conditions
    for sql in rules.rule_sql:
        assert sql.count(" and ") <= DEPTH - 1
    assert (rules.sample_customers >= MIN_LEAF_SHARE * len(frame)).all()
    assert rules.sample_customers.sum() == len(frame)
    # the planted pattern: recency above 180 days is segment 3
    lapsed = rules[rules.segment_id == 3].rule_text
    assert lapsed.str.startswith("last bought more than 180 days ago").all(), lapsed


def test_sibling_leaves_of_one_segment_are_one_rule():
    """Noise makes the tree split each side again, into leaves that all
    give that side's segment: one rule per side."""
    rng = np.random.default_rng(5)
    frame = customers()
    segment = np.where(frame.recency_days <= 100, 1, 2)
    noisy = rng.random(len(frame)) < 0.1
    segment[noisy] = rng.integers(1, 3, noisy.sum())
    frame = frame.assign(segment_id=segment)
    tree = fit_tree(frame, FEATURES, MONEY_FEATURES, DEPTH, MIN_LEAF_SHARE, SEED)
    assert (tree.tree_.children_left < 0).sum() > 2
    rules = rules_of(frame)
    assert rules.rule_text.tolist() == [
        "bought within 100 days",
        "last bought more than 100 days ago",
    ]


def test_one_segment_is_the_rule_true():
    frame = customers().assign(segment_id=1)
    rules = rules_of(frame)
    assert rules.rule_sql.tolist() == ["1 = 1"]
    assert rules.rule_text.tolist() == ["every customer"]


def test_the_warehouse_row_order_does_not_matter():
    frame = customers()
    shuffled = frame.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(rules_of(frame), rules_of(shuffled))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="monetary"), "no column ['monetary']"),
        (lambda f: f.iloc[:0], "no customers"),
        (lambda f: f.assign(frequency=np.nan), "nulls in ['frequency']"),
    ],
)
def test_a_sample_that_cannot_give_rules_says_why(change, message):
    with pytest.raises(RulesInputError, match=re.escape(message)):
        rules_of(change(customers()))


# ---- in the warehouse ----------------------------------------------------


def check_warehouse_rules(database: Path) -> pd.DataFrame:
    """Fit the tree again from the built fit sample: the same rules as
    int_segments__rules, and every customer's rule segment in the
    warehouse (its SQL conditions run there) is the tree's prediction."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as connection:
        sample = connection.execute(
            "select * from internal.int_customers__rules_fit_sample"
        ).df()
        built = connection.execute("select * from segment_rules order by 1").df()
        everyone = connection.execute(
            "select customer_segments.*, assignment.rule_id, assignment.rule_segment_id"
            " from customer_segments inner join internal.int_customers__rule_assignment"
            " as assignment using (customer_id) order by customer_id"
        ).df()
    rules = rules_of(sample)
    assert built.rule_sql.tolist() == rules.rule_sql.tolist()
    assert built.rule_text.tolist() == rules.rule_text.tolist()
    tree = fit_tree(sample, FEATURES, MONEY_FEATURES, DEPTH, MIN_LEAF_SHARE, SEED)
    predicted = tree.predict(everyone[list(FEATURES)].to_numpy(dtype=float))
    np.testing.assert_array_equal(everyone.rule_segment_id.to_numpy(), predicted)
    # the same rule by pandas' reading of the SQL text
    np.testing.assert_array_equal(
        predict_rules(rules, everyone).to_numpy(dtype=int), everyone.rule_id
    )
    assert built.customers.sum() == len(everyone)
    fidelity = (everyone.rule_segment_id == everyone.segment_id).mean()
    (reported,) = query_db(
        database, "select rules_fidelity from cluster_diagnostics where is_selected"
    )[0]
    assert reported == pytest.approx(fidelity, abs=1e-6)
    return built


def test_the_samples_rules_run_in_the_warehouse_as_the_tree(built_project):
    run_dir, _ = built_project
    check_warehouse_rules(run_dir / "x.duckdb")


def test_the_real_datas_rules_run_in_the_warehouse_as_the_tree(online_retail):
    built = check_warehouse_rules(online_retail.database)
    (fidelity,) = online_retail.query(
        "select rules_fidelity from cluster_diagnostics where is_selected"
    )[0]
    # a depth-3 tree on four features explains most of the segmentation
    assert fidelity > 0.7, built.to_string()
    assert (built.precision > 0.5).all(), built.to_string()
