"""Properties of the segmentation that must hold for any input (hypothesis)."""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from segmentation.clustering import assign_nearest, count_distinct_rows
from segmentation.pipeline import build_centroids, centroid_matrix, feature_matrix
from tools.var_schema import default_settings

NAMES = pd.read_csv("seeds/segment_names_rfm.csv")
FEATURES = ("recency_days", "frequency", "monetary")
SCALING = pd.DataFrame(
    {
        "feature_name": list(FEATURES),
        "lower_cap": -np.inf,
        "upper_cap": np.inf,
        "log_mean": 0.0,
        "log_std": 1.0,
    }
)


@st.composite
def feature_matrices(draw):
    """A standardised-looking matrix with at least k distinct rows, and k."""
    k = draw(st.integers(min_value=1, max_value=5))
    rows = draw(st.integers(min_value=k, max_value=40))
    # half-unit steps keep rows either equal or clearly apart
    X = draw(
        arrays(
            np.float64,
            (rows, len(FEATURES)),
            elements=st.integers(-8, 8).map(lambda v: v / 2),
        )
    )
    assume(count_distinct_rows(X) >= k)
    return X, k


def segment(customers: pd.DataFrame, k: int) -> pd.Series:
    """customer_id -> segment_id, as the models compute it."""
    config = default_settings(segment_features=list(FEATURES), n_segments=k, n_init=3)
    X = feature_matrix(customers, FEATURES)
    centroids = build_centroids(X, k, config, NAMES, scaling=SCALING)
    ids = centroids["segment_id"].to_numpy()[
        assign_nearest(X, centroid_matrix(centroids, FEATURES))
    ]
    return pd.Series(ids, index=customers.sort_values("customer_id")["customer_id"])


def as_customers(X: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(X, columns=[f"{f}_scaled" for f in FEATURES])
    frame.insert(0, "customer_id", [f"c{i:03d}" for i in range(len(X))])
    return frame


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feature_matrices())
def test_k_non_empty_segments_with_ids_ordered_by_value(case):
    X, k = case
    config = default_settings(segment_features=list(FEATURES), n_segments=k, n_init=3)
    centroids = build_centroids(X, k, config, NAMES, scaling=SCALING)
    assert centroids["segment_id"].tolist() == list(range(1, k + 1))
    assert centroids["value_score"].is_monotonic_decreasing
    assert centroids["segment_name"].is_unique
    labels = assign_nearest(X, centroid_matrix(centroids, FEATURES))
    assert len(np.unique(labels)) == k


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feature_matrices(), st.randoms(use_true_random=False))
def test_assignments_do_not_depend_on_row_order(case, random):
    X, k = case
    customers = as_customers(X)
    order = list(range(len(customers)))
    random.shuffle(order)
    shuffled = customers.iloc[order].reset_index(drop=True)
    pd.testing.assert_series_equal(segment(customers, k), segment(shuffled, k))
