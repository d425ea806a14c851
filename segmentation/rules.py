"""Segments as plain rules: a shallow decision tree from the features in
their own units (days, orders, pounds) to the K-Means segments, read out as
one rule per leaf, in words for people and as a SQL condition for the
warehouse.

The tree is fitted on the fit sample (``int_segments__rules``); the SQL
conditions are then run on every customer in the warehouse
(``int_customers__rule_assignment``), so they must give exactly the tree's
answer. scikit-learn compares float32 copies of the features with its
thresholds; every feature here is a whole number or a whole number of
cents, so each threshold is moved to the half unit (half a day, half a cent)
inside the gap it already splits, where no value can sit and float32's
rounding of a value cannot cross it. The tree keeps the moved thresholds,
so its own predictions and the SQL agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

#: the features that are money (whole cents): macro money_feature_names' list,
#: which a model's yml config cannot call (python_tests/test_rules.py holds
#: them equal); every other feature is a whole number
MONEY_FEATURES = ("monetary", "avg_order_value", "gross_monetary", "returned_value")

#: the columns of int_segments__rules, one row per rule (a leaf)
RULE_COLUMNS = [
    "rule_id",
    "segment_id",
    "rule_text",
    "rule_sql",
    "sample_customers",
    "sample_customers_in_segment",
]


class RulesInputError(ValueError):
    """The fit sample cannot give rules (a missing column, no customers)."""


@dataclass(frozen=True)
class Bound:
    """What a rule says of one feature: ``lower < value <= upper`` (either
    side may be open), both bounds half units."""

    feature: str
    lower: float | None = None
    upper: float | None = None

    def tighten(self, threshold: float, goes_left: bool) -> Bound:
        if goes_left:  # value <= threshold
            upper = threshold if self.upper is None else min(self.upper, threshold)
            return Bound(self.feature, self.lower, upper)
        lower = threshold if self.lower is None else max(self.lower, threshold)
        return Bound(self.feature, lower, self.upper)


def half_unit(threshold: float, is_money: bool) -> float:
    """The half day / half cent just below-or-at ``threshold``'s unit: the
    threshold's gap between two whole values keeps the same sides."""
    scale = 100 if is_money else 1
    return (math.floor(threshold * scale) + 0.5) / scale


def sql_number(value: float, is_money: bool) -> str:
    """A half unit as an exact SQL literal (``30.5``, ``1234.565``)."""
    if not is_money:
        return f"{math.floor(value)}.5"
    cents = math.floor(value * 100)
    return f"{cents // 100}.{cents % 100:02d}5"


def _whole(value: float, is_money: bool) -> float:
    """The largest whole value (days, orders, cents) below a half unit."""
    return math.floor(value * 100) / 100 if is_money else math.floor(value)


def _money(value: float) -> str:
    return f"£{value:,.2f}"


def _count(value: float, one: str, many: str) -> str:
    number = int(value)
    return f"{number:,} {one if number == 1 else many}"


def bound_words(bound: Bound, is_money: bool) -> str:
    """One feature's bound in words. Whole-number features say the whole
    numbers the half units allow ("5 or more orders"); money says pounds."""
    feature = bound.feature
    low = None if bound.lower is None else _whole(bound.lower, is_money)
    high = None if bound.upper is None else _whole(bound.upper, is_money)
    # the smallest whole value above the lower bound
    first = None if low is None else (round(low + 0.01, 2) if is_money else low + 1)
    if feature == "recency_days":
        if low is None:
            return f"bought within {_count(high, 'day', 'days')}"
        if high is None:
            return f"last bought more than {_count(low, 'day', 'days')} ago"
        return f"last bought {int(first):,} to {_count(high, 'day', 'days')} ago"
    if feature == "frequency":
        if low is None:
            if high == 1:
                return "1 order"
            return f"{_count(high, 'order', 'orders')} or fewer"
        if high is None:
            return f"{_count(first, 'order', 'orders')} or more"
        return f"{int(first):,} to {_count(high, 'order', 'orders')}"
    if is_money:
        label = {
            "monetary": "spent",
            "avg_order_value": "average order",
            "gross_monetary": "spent before returns",
            "returned_value": "returned",
        }.get(feature, feature.replace("_", " "))
        if low is None:
            return f"{label} {_money(high)} or less"
        if high is None:
            return f"{label} more than {_money(low)}"
        return f"{label} {_money(first)} to {_money(high)}"
    label = feature.replace("_", " ")
    if low is None:
        return f"{label} at most {high:,.0f}"
    if high is None:
        return f"{label} at least {first:,.0f}"
    return f"{label} {first:,.0f} to {high:,.0f}"


def bound_sql(bound: Bound, is_money: bool) -> str:
    """One feature's bound as a SQL condition on its column."""
    parts = []
    if bound.lower is not None:
        parts.append(f"{bound.feature} > {sql_number(bound.lower, is_money)}")
    if bound.upper is not None:
        parts.append(f"{bound.feature} <= {sql_number(bound.upper, is_money)}")
    return " and ".join(parts)


def sample_frame(
    sample: pd.DataFrame, features: list[str] | tuple[str, ...]
) -> pd.DataFrame:
    """The fit sample ordered by customer_id (the warehouse's row order must
    not matter), checked: every feature and segment_id present, no nulls."""
    missing = [
        column
        for column in ["customer_id", "segment_id", *features]
        if column not in sample.columns
    ]
    if missing:
        raise RulesInputError(f"the rules' fit sample has no column {missing}")
    if sample.empty:
        raise RulesInputError("the rules' fit sample has no customers")
    nulls = [column for column in features if sample[column].isna().any()]
    if nulls:
        raise RulesInputError(f"the rules' fit sample has nulls in {nulls}")
    return sample.sort_values("customer_id", kind="stable").reset_index(drop=True)


def fit_tree(
    sample: pd.DataFrame,
    features: list[str] | tuple[str, ...],
    money_features: list[str] | tuple[str, ...],
    max_depth: int,
    min_leaf_share: float,
    random_state: int,
) -> DecisionTreeClassifier:
    """A decision tree of at most ``max_depth`` from the features in their
    own units to segment_id, every leaf holding at least ``min_leaf_share``
    of the sample, its thresholds moved to half units (module docstring)."""
    ordered = sample_frame(sample, features)
    X = ordered[list(features)].to_numpy(dtype=float)
    y = ordered["segment_id"].to_numpy()
    tree = DecisionTreeClassifier(
        max_depth=max_depth,
        min_samples_leaf=max(1, math.ceil(min_leaf_share * len(ordered))),
        random_state=random_state,
    )
    tree.fit(X, y)
    inner = tree.tree_.children_left >= 0
    for node in np.flatnonzero(inner):
        is_money = features[tree.tree_.feature[node]] in money_features
        tree.tree_.threshold[node] = half_unit(tree.tree_.threshold[node], is_money)
    return tree


def _leaf_segment(tree: DecisionTreeClassifier, node: int):
    return tree.classes_[int(np.argmax(tree.tree_.value[node][0]))]


def tree_rules(
    tree: DecisionTreeClassifier,
    features: list[str] | tuple[str, ...],
    money_features: list[str] | tuple[str, ...],
) -> list[tuple[object, list[Bound]]]:
    """(segment, bounds) per rule, left to right. Two sibling leaves of the
    same segment are one rule: the split between them changes no answer."""
    left, right = tree.tree_.children_left, tree.tree_.children_right

    def segments_below(node: int) -> set:
        if left[node] < 0:
            return {_leaf_segment(tree, node)}
        return segments_below(left[node]) | segments_below(right[node])

    rules: list[tuple[object, list[Bound]]] = []

    def walk(node: int, bounds: dict[str, Bound]) -> None:
        below = segments_below(node)
        if left[node] < 0 or len(below) == 1:
            ordered = [bounds[feature] for feature in features if feature in bounds]
            rules.append((next(iter(below)), ordered))
            return
        feature = features[tree.tree_.feature[node]]
        threshold = float(tree.tree_.threshold[node])
        current = bounds.get(feature, Bound(feature))
        walk(left[node], {**bounds, feature: current.tighten(threshold, True)})
        walk(right[node], {**bounds, feature: current.tighten(threshold, False)})

    walk(0, {})
    return rules


def rules_frame(
    sample: pd.DataFrame,
    features: list[str] | tuple[str, ...],
    money_features: list[str] | tuple[str, ...],
    max_depth: int,
    min_leaf_share: float,
    random_state: int,
) -> pd.DataFrame:
    """One row per rule (RULE_COLUMNS), ordered by segment then by the
    tree's left-to-right order: the words, the SQL condition, and how many
    customers of the fit sample it covers and how many of them are in its
    segment. A tree of one leaf (one segment) is the rule ``true``."""
    ordered = sample_frame(sample, features)
    tree = fit_tree(
        ordered, features, money_features, max_depth, min_leaf_share, random_state
    )
    money = set(money_features)
    rows = []
    for order, (segment, bounds) in enumerate(tree_rules(tree, features, money)):
        words = [bound_words(bound, bound.feature in money) for bound in bounds]
        sql = [bound_sql(bound, bound.feature in money) for bound in bounds]
        covered = np.ones(len(ordered), dtype=bool)
        for bound in bounds:
            values = ordered[bound.feature].to_numpy(dtype=float)
            if bound.lower is not None:
                covered &= values > bound.lower
            if bound.upper is not None:
                covered &= values <= bound.upper
        rows.append(
            {
                "order": order,
                "segment_id": segment,
                "rule_text": " and ".join(words) or "every customer",
                "rule_sql": " and ".join(sql) or "1 = 1",
                "sample_customers": int(covered.sum()),
                "sample_customers_in_segment": int(
                    (covered & (ordered["segment_id"].to_numpy() == segment)).sum()
                ),
            }
        )
    frame = pd.DataFrame(rows).sort_values(["segment_id", "order"], kind="stable")
    frame["rule_id"] = np.arange(1, len(frame) + 1)
    frame["segment_id"] = frame["segment_id"].astype("int64")
    for column in ("sample_customers", "sample_customers_in_segment"):
        frame[column] = frame[column].astype("int64")
    return frame[RULE_COLUMNS].reset_index(drop=True)


def predict_rules(rules: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    """The rule_id whose SQL condition each customer's features meet, read
    by pandas (the tests' second reading of the conditions): the first that
    matches, missing when none does."""
    matched = pd.Series(pd.NA, index=customers.index, dtype="Int64")
    for rule in rules.itertuples():
        if rule.rule_sql == "1 = 1":
            hits = pd.Series(True, index=customers.index)
        else:
            hits = customers.eval(rule.rule_sql)
        matched = matched.mask(hits & matched.isna(), rule.rule_id)
    return matched
