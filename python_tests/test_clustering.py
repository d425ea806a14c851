"""K-Means helpers and the k rule, on small crafted inputs."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import silhouette_score

from segmentation.clustering import (
    ClusteringInputError,
    assign_nearest,
    choose_k,
    elbow_scores,
    evaluate_k,
    fit_kmeans,
    has_distinct_rows,
    match_centroids,
    order_by_value,
    sample_indices,
    silhouette,
    stability_ari,
)


def blobs(centres, per_blob=60, spread=0.15, seed=0):
    """Well-separated Gaussian blobs around the given centres."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(c, spread, (per_blob, len(c))) for c in centres])


FOUR_BLOBS = [(0, 0), (0, 4), (4, 0), (4, 4)]


def diagnostics(**columns):
    base = {
        "k": [2, 3, 4, 5, 6],
        "inertia": [100.0, 60.0, 30.0, 27.0, 25.0],
        "silhouette": [0.50, 0.45, 0.40, 0.30, 0.28],
        "davies_bouldin": [0.9, 0.8, 0.7, 1.0, 1.1],
        "calinski_harabasz": [900.0, 950.0, 990.0, 800.0, 700.0],
        "smallest_segment_share": [0.40, 0.20, 0.15, 0.10, 0.05],
        "stability_ari": [0.99, 0.95, 0.93, 0.90, 0.85],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_sample_is_fixed_by_the_seed_and_sorted():
    first = sample_indices(10_000, 500, random_state=7)
    assert np.array_equal(first, sample_indices(10_000, 500, random_state=7))
    assert not np.array_equal(first, sample_indices(10_000, 500, random_state=8))
    assert len(first) == 500 and np.all(np.diff(first) > 0)


def test_fit_finds_the_blobs_and_assignment_agrees():
    X = blobs(FOUR_BLOBS)
    centroids, labels, inertia = fit_kmeans(X, 4, random_state=0)
    assert sorted(np.bincount(labels).tolist()) == [60, 60, 60, 60]
    assert np.array_equal(assign_nearest(X, centroids), labels)
    assert inertia > 0


def test_fit_refuses_more_segments_than_distinct_customers():
    X = np.array([[1.0, 1.0]] * 5 + [[2.0, 2.0]] * 5)
    with pytest.raises(ClusteringInputError, match="2 distinct customer profiles"):
        fit_kmeans(X, 3, random_state=0)


@pytest.mark.parametrize(
    ("distinct_after_head", "k", "expected"),
    [(0, 2, False), (1, 2, True), (5, 7, False), (6, 7, True)],
)
def test_distinct_rows_past_the_first_rows_are_counted(
    distinct_after_head, k, expected
):
    # the first 1,000 rows are one profile: the quick look at them cannot
    # settle it, so the whole matrix is counted
    head = np.zeros((1000, 2))
    tail = np.repeat(np.arange(1, distinct_after_head + 1.0), 50)[:, None] * [1, 1]
    X = np.vstack([head, tail, head])
    assert has_distinct_rows(X, k) is expected


@pytest.mark.parametrize(
    ("name", "X", "labels"),
    [
        ("blobs", blobs(FOUR_BLOBS), np.repeat([0, 1, 2, 3], 60)),
        (
            "noise, labels not 0..k-1",
            np.random.default_rng(1).normal(size=(2345, 4)),
            np.random.default_rng(2).choice([3, 7, 11], 2345),
        ),
        (
            "a segment of one row and repeated rows",
            np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [9.0, 9.0]]),
            np.array([0, 0, 1, 1, 2]),
        ),
        (
            "large values (distances by the dot-product identity)",
            np.random.default_rng(3).normal(1e4, 1.0, size=(300, 3)),
            np.random.default_rng(4).integers(0, 5, 300),
        ),
    ],
)
def test_silhouette_equals_scikit_learns(name, X, labels):
    expected = silhouette_score(X, labels)
    assert silhouette(X, labels, chunk_rows=100) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("labels", [[0, 0, 0, 0], [0, 1, 2, 3]])
def test_silhouette_needs_two_to_rows_minus_one_segments(labels):
    with pytest.raises(ValueError, match="silhouette needs 2 to 3 segments"):
        silhouette(np.arange(8.0).reshape(4, 2), np.array(labels))


def test_evaluate_k_reports_every_k_and_marks_the_impossible_ones():
    X = np.array([[0.0], [0.0], [1.0], [1.0], [2.0]])
    result = evaluate_k(X, [2, 3, 4], random_state=0, stability_resamples=0)
    assert result["k"].tolist() == [2, 3, 4]
    assert result.loc[result.k == 4, "inertia"].isna().all()
    assert result.loc[result.k == 4, "smallest_segment_share"].item() == 0


def test_stability_is_high_for_real_structure_and_low_for_noise():
    structured = blobs(FOUR_BLOBS)
    _, labels, _ = fit_kmeans(structured, 4, random_state=0)
    assert stability_ari(structured, 4, labels, random_state=0, resamples=3) > 0.95
    noise = np.random.default_rng(1).uniform(size=(300, 2))
    _, labels, _ = fit_kmeans(noise, 9, random_state=0)
    assert stability_ari(noise, 9, labels, random_state=0, resamples=3) < 0.9


def test_elbow_is_where_the_curve_bends():
    k = pd.Series([2, 3, 4, 5, 6])
    scores = elbow_scores(k, pd.Series([100.0, 60.0, 30.0, 27.0, 25.0]))
    assert k[scores.idxmax()] == 4


def test_k_rule_picks_the_elbow_region_best_separated_k():
    chosen = choose_k(diagnostics(), min_segment_share=0.02)
    assert chosen.loc[chosen.is_selected, "k"].tolist() == [4]
    assert chosen["is_elbow_candidate"].tolist() == [False, True, True, True, False]
    assert chosen.loc[chosen.is_selected, "verdict"].item().startswith("selected")


def test_k_rule_rejects_segments_under_the_minimum_share():
    small = diagnostics(smallest_segment_share=[0.40, 0.20, 0.01, 0.10, 0.05])
    chosen = choose_k(small, min_segment_share=0.02)
    assert not chosen.loc[chosen.k == 4, "is_eligible"].item()
    assert "under the 2% minimum" in chosen.loc[chosen.k == 4, "verdict"].item()
    assert chosen.loc[chosen.is_selected, "k"].item() != 4


def test_k_rule_rejects_unstable_k_and_k_beyond_the_names():
    chosen = choose_k(
        diagnostics(stability_ari=[0.99, 0.95, 0.5, 0.90, 0.85]),
        min_segment_share=0.02,
        max_k=5,
        min_stability_ari=0.8,
    )
    verdicts = dict(zip(chosen.k, chosen.verdict, strict=True))
    assert verdicts[4].startswith("rejected: unstable")
    assert verdicts[6] == "rejected: the naming scheme has only 5 names"
    assert chosen.loc[chosen.is_selected, "k"].item() in (3, 5)


def test_k_rule_falls_back_to_the_most_balanced_k_when_none_is_eligible():
    tiny = diagnostics(smallest_segment_share=[0.01, 0.015, 0.005, 0.001, 0.001])
    chosen = choose_k(tiny, min_segment_share=0.02)
    assert chosen.loc[chosen.is_selected, "k"].item() == 3
    assert "fallback" in chosen.loc[chosen.is_selected, "verdict"].item()


def test_exactly_one_k_is_selected():
    for share in (0.0, 0.12, 0.5):
        chosen = choose_k(diagnostics(), min_segment_share=share)
        assert chosen["is_selected"].sum() == 1


def test_segments_are_ordered_by_value_with_recency_counting_against():
    features = ["recency_days", "frequency", "monetary"]
    centroids = np.array(
        [
            [1.5, -1.0, -1.0],  # lapsed, rare, small
            [-1.0, 1.5, 1.5],  # recent, frequent, big
            [0.0, 0.0, 0.0],  # average
        ]
    )
    order, scores = order_by_value(centroids, features, ("recency_days",))
    assert order.tolist() == [1, 2, 0]
    assert np.all(np.diff(scores) < 0)


def test_centroids_pair_one_to_one_with_their_distances():
    previous = np.array([[0.0, 0.0], [3.0, 3.0], [-3.0, 3.0]])
    shuffled = previous[[2, 0, 1]] + 0.05
    matched, distances = match_centroids(shuffled, previous)
    assert matched.tolist() == [2, 0, 1]
    np.testing.assert_allclose(distances, 0.05)
    moved = shuffled.copy()
    moved[0] += 1.0
    assert match_centroids(moved, previous)[1].max() > 0.25
    with pytest.raises(ValueError, match="cannot match"):
        match_centroids(previous[:2], previous)
