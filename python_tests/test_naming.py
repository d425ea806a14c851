"""The naming rule gives each segment the name whose profile fits its members."""

import numpy as np
import pandas as pd
import pytest

from segmentation.naming import assign_names, name_fit, segment_percentiles
from segmentation.settings import SegmentationConfigError

FEATURES = ["recency_days", "frequency", "monetary"]


def seed(name):
    return pd.read_csv(f"seeds/segment_names_{name}.csv")


def crafted_base(seed_value=0):
    """Four kinds of customers: champions, new, lapsed big buyers, lost."""
    rng = np.random.default_rng(seed_value)
    kinds = {
        # recency_days, frequency, monetary
        "champions": ((1, 10), (20, 40), (5000, 9000)),
        "new": ((1, 10), (1, 1.2), (20, 120)),
        "lapsed_big": ((250, 360), (8, 20), (1500, 5000)),
        "lost": ((300, 400), (1, 2), (10, 60)),
    }
    rows, labels = [], []
    for label, ranges in enumerate(kinds.values()):
        for _ in range(50):
            rows.append([rng.uniform(*r) for r in ranges])
            labels.append(label)
    return np.log1p(np.array(rows)), np.array(labels)


def test_percentiles_flip_recency_so_one_is_most_recent():
    X, labels = crafted_base()
    scores = segment_percentiles(X, labels, FEATURES, ("recency_days",))
    assert list(scores.columns) == [
        "recency_score",
        "frequency_score",
        "monetary_score",
    ]
    champions, new, lapsed_big, lost = scores.to_dict("records")
    assert champions["recency_score"] > 0.5 > lost["recency_score"]
    assert new["recency_score"] > lapsed_big["recency_score"]
    assert champions["monetary_score"] > 0.8 and lost["monetary_score"] < 0.2


def test_names_fit_the_crafted_segments():
    X, labels = crafted_base()
    names = assign_names(segment_percentiles(X, labels, FEATURES), seed("rfm"))
    champions, new, lapsed_big, lost = names["segment_name"]
    assert champions == "Champions"
    assert new == "New Customers"
    assert lapsed_big in {"At Risk", "Can't Lose Them"}
    assert lost in {"Lost", "Hibernating"}
    assert names["segment_name"].is_unique
    assert names["recommended_action"].str.len().min() > 10


def test_action_led_scheme_names_the_same_segments():
    X, labels = crafted_base()
    names = assign_names(segment_percentiles(X, labels, FEATURES), seed("action"))
    champions, new, lapsed_big, lost = names["segment_name"]
    assert champions == "REWARD"
    assert new == "ENCOURAGE"
    assert lost == "RE-ENGAGE"
    assert lapsed_big in {"RETAIN", "EXCITE"}


def test_the_best_segment_is_never_at_risk_whatever_else_is_present():
    best = {"recency_score": 0.95, "frequency_score": 0.95, "monetary_score": 0.95}
    for other in (0.05, 0.5, 0.9):
        profiles = pd.DataFrame(
            [
                best,
                {
                    "recency_score": other,
                    "frequency_score": other,
                    "monetary_score": other,
                },
            ]
        )
        names = assign_names(profiles, seed("rfm"))
        assert names.loc[0, "segment_name"] not in {"At Risk", "Hibernating", "Lost"}


def test_more_segments_than_names_is_a_clear_error():
    profiles = pd.DataFrame({"recency_score": np.linspace(0, 1, 8)})
    with pytest.raises(SegmentationConfigError, match="only 7 names"):
        assign_names(profiles, seed("action"))


def test_naming_needs_a_feature_the_seeds_describe():
    X = np.zeros((4, 1))
    with pytest.raises(SegmentationConfigError, match="need at least one of"):
        segment_percentiles(X, np.array([0, 0, 1, 1]), ["tenure_days"])


def test_a_feature_without_a_seed_level_does_not_change_the_names():
    X, labels = crafted_base()
    tenure = np.random.default_rng(1).uniform(0, 5, (len(X), 1))
    with_tenure = segment_percentiles(
        np.hstack([X, tenure]), labels, [*FEATURES, "tenure_days"]
    )
    assert list(with_tenure.columns) == [
        "recency_score",
        "frequency_score",
        "monetary_score",
    ]
    pd.testing.assert_frame_equal(
        assign_names(with_tenure, seed("rfm")),
        assign_names(segment_percentiles(X, labels, FEATURES), seed("rfm")),
    )


def big_one_timer_base(seed_value=0):
    """Champions, one big order a while ago, small lapsed one-timers."""
    rng = np.random.default_rng(seed_value)
    kinds = {
        # recency_days, frequency, monetary; avg_order_value follows
        "champions": ((1, 15), (8, 30), (3000, 9000)),
        "big_one_timers": ((60, 200), (1, 1.4), (500, 1500)),
        "small_lapsed": ((120, 300), (1, 1.4), (50, 250)),
    }
    rows, labels = [], []
    for label, ranges in enumerate(kinds.values()):
        for _ in range(60):
            recency, frequency, monetary = (rng.uniform(*r) for r in ranges)
            frequency = round(frequency)
            rows.append([recency, frequency, monetary, monetary / frequency])
            labels.append(label)
    return np.log1p(np.array(rows)), np.array(labels)


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [("rfm", "Big One-Timers"), ("action", "CONVERT")],
)
def test_one_big_order_is_named_for_its_order_value(scheme, expected):
    X, labels = big_one_timer_base()
    features = [*FEATURES, "avg_order_value"]
    names = assign_names(segment_percentiles(X, labels, features), seed(scheme))
    assert names.loc[1, "segment_name"] == expected
    assert names.loc[0, "segment_name"] in {"Champions", "REWARD"}
    # the big one-off order is not told "modest discount"
    assert "discount" not in names.loc[1, "recommended_action"]


def test_name_fit_is_the_weighted_rms_gap_and_fits_the_assigned_names():
    X, labels = big_one_timer_base()
    features = [*FEATURES, "avg_order_value"]
    profiles = segment_percentiles(X, labels, features)
    names = assign_names(profiles, seed("rfm"))
    again = name_fit(profiles, seed("rfm"), names["segment_name"].tolist())
    np.testing.assert_allclose(again, names["name_fit"])
    # by hand for the first segment: recency counts double
    chosen = seed("rfm").set_index("segment_name").loc[names.loc[0, "segment_name"]]
    gaps = profiles.iloc[0] - chosen[profiles.columns]
    weights = np.array([2.0, 1.0, 1.0, 1.0])
    expected = np.sqrt((weights * gaps.to_numpy(dtype=float) ** 2).sum() / 5)
    assert names.loc[0, "name_fit"] == pytest.approx(expected)
    # a wrong name fits worse than the chosen one
    wrong = name_fit(profiles.iloc[[0]], seed("rfm"), ["Lost"])
    assert wrong[0] > names.loc[0, "name_fit"] + 0.3


def test_name_fit_rejects_a_name_the_seed_does_not_have():
    profiles = pd.DataFrame({"recency_score": [0.5]})
    with pytest.raises(SegmentationConfigError, match="not in the naming seed"):
        name_fit(profiles, seed("rfm"), ["Whales"])


@pytest.mark.parametrize("scheme", ["rfm", "action"])
def test_naming_seeds_are_well_formed(scheme):
    names = seed(scheme)
    assert list(names.columns) == [
        "segment_name",
        "recency_score",
        "frequency_score",
        "monetary_score",
        "order_value_score",
        "recommended_action",
    ]
    assert names["segment_name"].is_unique
    scores = names[
        ["recency_score", "frequency_score", "monetary_score", "order_value_score"]
    ]
    assert ((scores >= 0) & (scores <= 1)).all().all()
