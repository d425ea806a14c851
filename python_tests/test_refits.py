"""Refits at past as-of dates (segmentation.refits), without dbt."""

import datetime

import numpy as np
import pandas as pd
import pytest

from segmentation.refits import as_dates, refit_from, refit_history
from segmentation.scaling import to_original_units

FEATURES = ["frequency", "monetary"]
SCALING = pd.DataFrame(
    {
        "feature_name": FEATURES,
        "lower_cap": -np.inf,
        "upper_cap": np.inf,
        "log_mean": [1.0, 5.0],
        "log_std": [0.5, 1.5],
    }
)
#: the current model: segment 1 high on both features, segment 2 low
CURRENT = pd.DataFrame(
    {
        "segment_id": [2, 1],  # out of order on purpose
        "centroid_frequency": [-1.0, 1.0],
        "centroid_monetary": [-1.0, 1.0],
    }
)


def blobs(as_of_date, high, low, per_blob=30, seed=0):
    """Two groups of customers around ``high`` and ``low`` at one date."""
    rng = np.random.default_rng(seed)
    points = np.vstack(
        [
            rng.normal(high, 0.05, size=(per_blob, 2)),
            rng.normal(low, 0.05, size=(per_blob, 2)),
        ]
    )
    return pd.DataFrame(
        {
            "as_of_date": pd.Timestamp(as_of_date),
            "customer_id": [f"{as_of_date}-{i:03d}" for i in range(len(points))],
            "frequency_scaled": points[:, 0],
            "monetary_scaled": points[:, 1],
        }
    )


def two_dates():
    """The groups drift: both move up by 0.5 from one month to the next."""
    return pd.concat(
        [
            blobs("2011-11-01", (1.2, 1.2), (-0.8, -0.8), seed=1),
            blobs("2011-12-01", (1.7, 1.7), (-0.3, -0.3), seed=2),
        ],
        ignore_index=True,
    )


def test_refit_from_keeps_the_order_of_the_start():
    X = blobs("2011-12-01", (2.0, 2.0), (-2.0, -2.0))[
        ["frequency_scaled", "monetary_scaled"]
    ].to_numpy()
    start = np.array([[-1.0, -1.0], [1.0, 1.0]])
    centroids, distances = refit_from(X, start, random_state=0)
    # row j is the refit of start[j]: the low start found the low group
    assert centroids[0] == pytest.approx([-2.0, -2.0], abs=0.05)
    assert centroids[1] == pytest.approx([2.0, 2.0], abs=0.05)
    assert distances == pytest.approx(np.sqrt(((centroids - start) ** 2).sum(axis=1)))


def test_refit_from_matches_when_k_means_swaps_the_segments():
    # K-Means started here ends with its first centroid on the left group,
    # far from the first start (20, 0) and next to the second (0.2, 0):
    # matching gives each start the refit nearest to it
    X = np.array([[0.0, 0.0], [0.1, 0.0], [10.0, 0.0], [10.1, 0.0], [5.0, 8.0]])
    X = np.vstack([X, [[5.1, 8.0]]])
    start = np.array([[20.0, 0.0], [0.2, 0.0], [-1.0, 0.0]])
    centroids, distances = refit_from(X, start, random_state=0)
    assert centroids.round(2).tolist() == [[10.05, 0.0], [0.05, 0.0], [5.05, 8.0]]
    assert distances.round(2).tolist() == [9.95, 0.15, 10.03]


def test_each_date_starts_from_the_previous_refit_and_keeps_the_ids():
    refits = refit_history(two_dates(), CURRENT, FEATURES, 42, SCALING)
    assert refits["as_of_date"].tolist() == [
        datetime.date(2011, 11, 1),
        datetime.date(2011, 11, 1),
        datetime.date(2011, 12, 1),
        datetime.date(2011, 12, 1),
    ]
    assert refits["segment_id"].tolist() == [1, 2, 1, 2]
    by_date = refits.set_index(["as_of_date", "segment_id"])
    first = by_date.loc[datetime.date(2011, 11, 1)]
    last = by_date.loc[datetime.date(2011, 12, 1)]
    # segment 1 follows the high group, segment 2 the low one
    assert first.loc[1, "centroid_frequency"] == pytest.approx(1.2, abs=0.05)
    assert first.loc[2, "centroid_frequency"] == pytest.approx(-0.8, abs=0.05)
    assert last.loc[1, "centroid_frequency"] == pytest.approx(1.7, abs=0.05)
    # the first date moved from the current model's centroids, the second
    # from the first date's refit: about 0.5 in both features
    assert first["distance_moved"].to_numpy() == pytest.approx(
        [np.hypot(0.2, 0.2)] * 2, abs=0.05
    )
    assert last["distance_moved"].to_numpy() == pytest.approx(
        [np.hypot(0.5, 0.5)] * 2, abs=0.05
    )
    assert refits["is_refitted"].all()
    assert refits.groupby("as_of_date")["fit_customers"].sum().tolist() == [60, 60]


def test_centroids_in_original_units_use_the_current_scaling():
    refits = refit_history(two_dates(), CURRENT, FEATURES, 42, SCALING)
    standardised = refits[["centroid_frequency", "centroid_monetary"]].to_numpy()
    original = refits[
        ["centroid_frequency_original", "centroid_monetary_original"]
    ].to_numpy()
    assert original == pytest.approx(to_original_units(standardised, FEATURES, SCALING))


def test_a_date_with_too_few_distinct_customers_carries_the_previous_centroids():
    early = pd.DataFrame(
        {
            "as_of_date": pd.Timestamp("2011-10-01"),
            "customer_id": ["x", "y"],
            "frequency_scaled": [0.3, 0.3],  # one distinct profile, k = 2
            "monetary_scaled": [0.3, 0.3],
        }
    )
    refits = refit_history(
        pd.concat([early, two_dates()]), CURRENT, FEATURES, 42, SCALING
    )
    carried = refits[refits["as_of_date"] == datetime.date(2011, 10, 1)]
    assert not carried["is_refitted"].any()
    assert carried["distance_moved"].tolist() == [0.0, 0.0]
    assert carried["centroid_frequency"].tolist() == [1.0, -1.0]
    assert carried["fit_customers"].sum() == 2
    # the next date starts from the carried (current) centroids
    after = refits[refits["as_of_date"] == datetime.date(2011, 11, 1)]
    assert after["is_refitted"].all()
    assert after["distance_moved"].to_numpy() == pytest.approx(
        [np.hypot(0.2, 0.2)] * 2, abs=0.05
    )


def test_row_order_and_date_type_do_not_change_the_result():
    sample = two_dates()
    expected = refit_history(sample, CURRENT, FEATURES, 42, SCALING)
    shuffled = sample.sample(frac=1.0, random_state=3)
    # Spark hands dates to pandas as datetime.date, DuckDB as timestamps
    shuffled["as_of_date"] = [value.date() for value in shuffled["as_of_date"]]
    result = refit_history(shuffled, CURRENT, FEATURES, 42, SCALING)
    pd.testing.assert_frame_equal(result, expected)


def test_no_customers_at_any_date_gives_no_rows_and_the_same_columns():
    empty = two_dates().iloc[:0]
    refits = refit_history(empty, CURRENT, FEATURES, 42, SCALING)
    expected = refit_history(two_dates(), CURRENT, FEATURES, 42, SCALING)
    assert len(refits) == 0
    assert refits.columns.tolist() == expected.columns.tolist()


def test_missing_centroid_columns_are_named():
    with pytest.raises(ValueError, match="centroid_monetary"):
        refit_history(
            two_dates(),
            CURRENT.drop(columns="centroid_monetary"),
            FEATURES,
            42,
            SCALING,
        )


def test_no_current_centroids_is_an_error():
    with pytest.raises(ValueError, match="no current centroids"):
        refit_history(two_dates(), CURRENT.iloc[:0], FEATURES, 42, SCALING)


def test_missing_sample_columns_are_named():
    with pytest.raises(ValueError, match="monetary_scaled"):
        refit_history(
            two_dates().drop(columns="monetary_scaled"),
            CURRENT,
            FEATURES,
            42,
            SCALING,
        )


def test_as_dates_accepts_timestamps_and_dates():
    values = pd.Series([pd.Timestamp("2011-12-01"), datetime.date(2011, 11, 1)])
    assert as_dates(values).tolist() == [
        datetime.date(2011, 12, 1),
        datetime.date(2011, 11, 1),
    ]
