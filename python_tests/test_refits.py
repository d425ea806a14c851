"""Refits at past as-of dates (segmentation.refits), without dbt."""

import datetime

import numpy as np
import pandas as pd
import pytest

from segmentation.clustering import assign_nearest, fit_kmeans
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


def test_each_date_starts_from_the_current_centroids_and_keeps_the_ids():
    refits = refit_history(two_dates(), CURRENT, FEATURES, 42, SCALING, 1)
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
    # both dates are measured against the current model's centroids (+-1)...
    assert first["distance_from_current"].to_numpy() == pytest.approx(
        [np.hypot(0.2, 0.2)] * 2, abs=0.05
    )
    assert last["distance_from_current"].to_numpy() == pytest.approx(
        [np.hypot(0.7, 0.7)] * 2, abs=0.05
    )
    # ...and distance_moved against the previous date's refit (none before
    # the first date: null)
    assert first["distance_moved"].isna().all()
    assert last["distance_moved"].to_numpy() == pytest.approx(
        [np.hypot(0.5, 0.5)] * 2, abs=0.05
    )
    assert refits["is_refitted"].all()
    assert refits.groupby("as_of_date")["fit_customers"].sum().tolist() == [60, 60]


def test_the_refit_at_the_fit_sample_of_the_current_model_relabels_nobody():
    # the current model is K-Means fitted on this very sample (as
    # int_segments__centroids is on the last date's): refitted from its own
    # centroids it stays where it is, and nobody would change segment
    rng = np.random.default_rng(7)
    points = np.vstack(
        [
            rng.normal(centre, 0.6, size=(400, 2))
            for centre in [(2.0, 2.0), (-2.0, 1.0), (0.0, -2.0), (1.5, -0.5)]
        ]
    )
    fitted, labels, _ = fit_kmeans(points, 4, random_state=42, n_init=10)
    current = pd.DataFrame(
        {
            "segment_id": [1, 2, 3, 4],
            "centroid_frequency": fitted[:, 0],
            "centroid_monetary": fitted[:, 1],
        }
    )
    sample = pd.DataFrame(
        {
            "as_of_date": pd.Timestamp("2011-12-01"),
            "customer_id": [f"c{i:04d}" for i in range(len(points))],
            "frequency_scaled": points[:, 0],
            "monetary_scaled": points[:, 1],
        }
    )
    refits = refit_history(sample, current, FEATURES, 42, SCALING, 500)
    assert refits["is_refitted"].all()
    assert refits["distance_from_current"].max() < 0.01
    refit = refits[["centroid_frequency", "centroid_monetary"]].to_numpy()
    relabelled = np.mean(assign_nearest(points, refit) != labels)
    assert relabelled < 0.005


def test_a_date_with_fewer_customers_than_the_minimum_is_not_refitted():
    # 60 customers in two clear groups could be refitted, but the minimum
    # is 100 at the first date: it carries the current centroids, and the
    # next date, with 120 customers, is refitted but has no previous refit
    # to have moved from
    small = blobs("2011-11-01", (1.2, 1.2), (-0.8, -0.8), per_blob=30, seed=1)
    large = blobs("2011-12-01", (1.7, 1.7), (-0.3, -0.3), per_blob=60, seed=2)
    refits = refit_history(
        pd.concat([small, large]), CURRENT, FEATURES, 42, SCALING, 100
    )
    carried = refits[refits["as_of_date"] == datetime.date(2011, 11, 1)]
    assert not carried["is_refitted"].any()
    assert carried["distance_moved"].isna().all()
    assert carried["distance_from_current"].isna().all()
    assert carried["centroid_frequency"].tolist() == [1.0, -1.0]
    assert carried["fit_customers"].sum() == 60
    after = refits[refits["as_of_date"] == datetime.date(2011, 12, 1)]
    assert after["is_refitted"].all()
    assert after["distance_moved"].isna().all()
    assert after["distance_from_current"].to_numpy() == pytest.approx(
        [np.hypot(0.7, 0.7)] * 2, abs=0.05
    )
    # exactly the minimum is enough
    exact = refit_history(small, CURRENT, FEATURES, 42, SCALING, 60)
    assert exact["is_refitted"].all()


def test_a_minimum_below_one_is_an_error():
    with pytest.raises(ValueError, match="min_refit_customers"):
        refit_history(two_dates(), CURRENT, FEATURES, 42, SCALING, 0)


def test_centroids_in_original_units_use_the_current_scaling():
    refits = refit_history(two_dates(), CURRENT, FEATURES, 42, SCALING, 1)
    standardised = refits[["centroid_frequency", "centroid_monetary"]].to_numpy()
    original = refits[
        ["centroid_frequency_original", "centroid_monetary_original"]
    ].to_numpy()
    assert original == pytest.approx(to_original_units(standardised, FEATURES, SCALING))


def test_a_date_with_too_few_distinct_customers_carries_the_current_centroids():
    early = pd.DataFrame(
        {
            "as_of_date": pd.Timestamp("2011-10-01"),
            "customer_id": ["x", "y"],
            "frequency_scaled": [0.3, 0.3],  # one distinct profile, k = 2
            "monetary_scaled": [0.3, 0.3],
        }
    )
    refits = refit_history(
        pd.concat([early, two_dates()]), CURRENT, FEATURES, 42, SCALING, 1
    )
    carried = refits[refits["as_of_date"] == datetime.date(2011, 10, 1)]
    assert not carried["is_refitted"].any()
    assert carried["distance_moved"].isna().all()
    assert carried["distance_from_current"].isna().all()
    assert carried["centroid_frequency"].tolist() == [1.0, -1.0]
    assert carried["fit_customers"].sum() == 2
    # the next date is refitted, with no previous refit to have moved from;
    # the one after moves from it
    after = refits[refits["as_of_date"] == datetime.date(2011, 11, 1)]
    assert after["is_refitted"].all()
    assert after["distance_moved"].isna().all()
    last = refits[refits["as_of_date"] == datetime.date(2011, 12, 1)]
    assert last["distance_moved"].notna().all()


def test_row_order_and_date_type_do_not_change_the_result():
    sample = two_dates()
    expected = refit_history(sample, CURRENT, FEATURES, 42, SCALING, 1)
    shuffled = sample.sample(frac=1.0, random_state=3)
    # Spark hands dates to pandas as datetime.date, DuckDB as timestamps
    shuffled["as_of_date"] = [value.date() for value in shuffled["as_of_date"]]
    result = refit_history(shuffled, CURRENT, FEATURES, 42, SCALING, 1)
    pd.testing.assert_frame_equal(result, expected)


def test_no_customers_at_any_date_gives_no_rows_and_the_same_columns():
    empty = two_dates().iloc[:0]
    refits = refit_history(empty, CURRENT, FEATURES, 42, SCALING, 1)
    expected = refit_history(two_dates(), CURRENT, FEATURES, 42, SCALING, 1)
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
            1,
        )


def test_no_current_centroids_is_an_error():
    with pytest.raises(ValueError, match="no current centroids"):
        refit_history(two_dates(), CURRENT.iloc[:0], FEATURES, 42, SCALING, 1)


def test_missing_sample_columns_are_named():
    with pytest.raises(ValueError, match="monetary_scaled"):
        refit_history(
            two_dates().drop(columns="monetary_scaled"),
            CURRENT,
            FEATURES,
            42,
            SCALING,
            1,
        )


def test_as_dates_accepts_timestamps_and_dates():
    values = pd.Series([pd.Timestamp("2011-12-01"), datetime.date(2011, 11, 1)])
    assert as_dates(values).tolist() == [
        datetime.date(2011, 12, 1),
        datetime.date(2011, 11, 1),
    ]
