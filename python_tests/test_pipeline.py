"""What the Python models compute, without dbt: fallbacks, ids, names, reruns."""

import numpy as np
import pandas as pd
import pytest

from segmentation.clustering import ClusteringInputError
from segmentation.pipeline import (
    build_centroids,
    evaluate_segmentations,
    feature_anova,
    feature_matrix,
    feature_pca,
    selected_centroids,
    to_pandas,
)
from tools.var_schema import default_settings

FEATURES = ["recency_days", "frequency", "monetary"]
NAMES = pd.read_csv("seeds/segment_names_rfm.csv")


def settings(**changes):
    values = {
        "segment_features": FEATURES,
        "n_segments": "auto",
        "k_range": [2, 6],
        "stability_resamples": 2,
        "n_init": 4,
        "input_fingerprint": "shop-a",
    }
    values.update(changes)
    return default_settings(**values)


def scaling(log_mean=0.0, features=FEATURES):
    """Scaling parameters with no caps: original = signed expm1(z + log_mean)."""
    return pd.DataFrame(
        {
            "feature_name": list(features),
            "lower_cap": -np.inf,
            "upper_cap": np.inf,
            "log_mean": log_mean,
            "log_std": 1.0,
        }
    )


SCALING = scaling()


def standardised(X):
    return (X - X.mean(axis=0)) / np.where(X.std(axis=0) == 0, 1, X.std(axis=0))


def three_groups(seed=0, per_group=80):
    """Recent big buyers, average customers, lapsed small buyers (log space)."""
    rng = np.random.default_rng(seed)
    centres = [
        (np.log(5), np.log(20), np.log(5000)),
        (np.log(60), np.log(4), np.log(600)),
        (np.log(300), np.log(1), np.log(40)),
    ]
    X = np.vstack([rng.normal(c, 0.2, (per_group, 3)) for c in centres])
    return standardised(X)


def test_no_customers_is_a_clear_error():
    with pytest.raises(ClusteringInputError, match="no customers to segment"):
        evaluate_segmentations(np.empty((0, 3)), settings(), max_names=10)


@pytest.mark.parametrize(
    "X",
    [np.zeros((1, 3)), np.zeros((25, 3))],
    ids=["one customer", "every customer identical"],
)
def test_too_few_distinct_customers_fall_back_to_one_segment(X):
    result = evaluate_segmentations(X, settings(), max_names=10)
    assert result["k"].tolist() == [1]
    assert result["is_selected"].tolist() == [True]
    assert "fallback" in result["verdict"].item()
    centroids = build_centroids(X, 1, settings(), NAMES, scaling=SCALING)
    assert centroids["segment_id"].tolist() == [1]
    assert centroids["fit_customers"].item() == len(X)


def test_fixed_k_above_the_distinct_customers_is_a_clear_error():
    X = three_groups()[:3]
    with pytest.raises(
        ClusteringInputError, match="n_segments is 5 but there are only 3"
    ):
        evaluate_segmentations(X, settings(n_segments=5), max_names=10)


def test_fewer_customers_than_the_top_of_k_range_still_segments():
    X = three_groups(per_group=2)  # 6 customers, k_range up to 6
    result = evaluate_segmentations(X, settings(min_segment_share=0), max_names=10)
    assert result["is_selected"].sum() == 1
    assert set(result["k"]) == {2, 3, 4, 5, 6}


def test_a_feature_without_spread_does_not_break_the_fit():
    X = three_groups()
    X[:, 1] = 0.0  # frequency identical for everyone (standardised to 0 in SQL)
    result = evaluate_segmentations(X, settings(), max_names=10)
    k = int(result.loc[result.is_selected, "k"].item())
    centroids = build_centroids(X, k, settings(), NAMES, scaling=SCALING)
    assert len(centroids) == k
    stats = feature_anova(X, centroids, tuple(FEATURES))
    assert np.isnan(stats.loc[stats.feature_name == "frequency", "p_value"]).all()


def test_three_groups_give_three_value_ordered_named_segments():
    X = three_groups()
    result = evaluate_segmentations(X, settings(), max_names=10)
    assert result.loc[result.is_selected, "k"].item() == 3
    centroids = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    assert centroids["segment_id"].tolist() == [1, 2, 3]
    assert centroids["fit_customers"].tolist() == [80, 80, 80]
    assert centroids["value_score"].is_monotonic_decreasing
    assert centroids["segment_name"].is_unique
    assert centroids.loc[0, "segment_name"] == "Champions"
    assert centroids.loc[2, "segment_name"] in {"Lost", "Hibernating"}
    # segment 1 is the recent, frequent, big-spending group
    assert centroids.loc[0, "centroid_recency_days"] < 0
    assert centroids.loc[0, "centroid_monetary"] > 0


def test_same_input_gives_identical_centroids():
    X = three_groups()
    first = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    second = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    pd.testing.assert_frame_equal(first, second)


def test_a_rerun_on_slightly_changed_data_keeps_ids_and_names():
    X = three_groups()
    previous = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    # pretend the previous run numbered the same segments otherwise
    previous["segment_id"] = [3, 1, 2]
    names = previous.set_index("segment_name")["segment_id"].to_dict()
    rerun = build_centroids(
        three_groups(seed=1), 3, settings(), NAMES, previous, scaling=SCALING
    )
    assert rerun.set_index("segment_name")["segment_id"].to_dict() == names
    assert rerun["naming_verdict"].iloc[0].startswith("kept the previous run's")


def test_a_real_change_renumbers_by_value():
    X = three_groups()
    previous = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    previous["segment_id"] = [3, 1, 2]
    shifted = X.copy()
    shifted[:80] += 1.5  # the top group moved far away
    rerun = build_centroids(shifted, 3, settings(), NAMES, previous, scaling=SCALING)
    assert rerun["value_score"].is_monotonic_decreasing
    assert rerun["segment_id"].tolist() == [1, 2, 3]
    assert "more than segment_match_tolerance" in rerun["naming_verdict"].iloc[0]


def test_another_input_is_named_afresh_even_when_centroids_match():
    X = three_groups()
    previous = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    previous["segment_id"] = [3, 1, 2]
    rerun = build_centroids(
        X, 3, settings(input_fingerprint="shop-b"), NAMES, previous, scaling=SCALING
    )
    assert rerun["segment_id"].tolist() == [1, 2, 3]
    assert rerun["input_fingerprint"].unique().tolist() == ["shop-b"]
    assert "read other input" in rerun["naming_verdict"].iloc[0]


def test_centroids_are_compared_in_original_units_not_each_runs_own_scale():
    # the same standardised centroids, but this run's customers spend about
    # e^2 = 7 times more: in original units the segments are not the same
    X = three_groups()
    previous = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    previous["segment_id"] = [3, 1, 2]
    rerun = build_centroids(
        X, 3, settings(), NAMES, previous, scaling=scaling(log_mean=2.0)
    )
    assert rerun["segment_id"].tolist() == [1, 2, 3]
    assert "moved" in rerun["naming_verdict"].iloc[0]


def test_a_carried_name_that_no_longer_fits_is_not_kept():
    X = three_groups()
    previous = build_centroids(X, 3, settings(), NAMES, scaling=SCALING)
    # the previous run called the top group "Lost": same centroids, bad name
    previous["segment_name"] = ["Lost", "Potential Loyalists", "Champions"]
    rerun = build_centroids(X, 3, settings(), NAMES, previous, scaling=SCALING)
    assert rerun.loc[0, "segment_name"] == "Champions"
    verdict = rerun["naming_verdict"].iloc[0]
    assert "'Lost' no longer fits" in verdict
    assert (rerun["name_fit"] <= 0.2).all()


def test_a_previous_run_with_another_k_is_not_matched():
    X = three_groups()
    previous = build_centroids(X, 2, settings(), NAMES, scaling=SCALING)
    previous["segment_id"] = [2, 1]
    rerun = build_centroids(X, 3, settings(), NAMES, previous, scaling=SCALING)
    assert rerun["segment_id"].tolist() == [1, 2, 3]
    assert (
        "the previous run had 2 segments, this one 3"
        in (rerun["naming_verdict"].iloc[0])
    )


def test_the_first_run_says_it_named_afresh():
    centroids = build_centroids(three_groups(), 3, settings(), NAMES, scaling=SCALING)
    assert centroids["naming_verdict"].unique().tolist() == [
        "named afresh: first run, no previous segments"
    ]


def test_original_unit_centroids_invert_the_scaling():
    X = three_groups()
    centroids = build_centroids(X, 3, settings(), NAMES, scaling=scaling(1.0))
    for feature in FEATURES:
        z = centroids[f"centroid_{feature}"].to_numpy()
        logs = z + 1.0
        np.testing.assert_allclose(
            centroids[f"centroid_{feature}_original"],
            np.sign(logs) * np.expm1(np.abs(logs)),
        )


def test_rows_are_ordered_by_customer_id_whatever_the_warehouse_returns():
    customers = pd.DataFrame(
        {
            "customer_id": ["b", "a", "c"],
            "recency_days_scaled": [2.0, 1.0, 3.0],
            "frequency_scaled": [0.0, 0.0, 0.0],
        }
    )
    X = feature_matrix(customers, ("recency_days", "frequency"))
    assert X[:, 0].tolist() == [1.0, 2.0, 3.0]
    assert to_pandas(customers) is customers


def test_pca_loadings_have_a_fixed_sign_and_explain_the_variance():
    X = three_groups()
    loadings = feature_pca(X, tuple(FEATURES))
    assert loadings["feature_name"].tolist() == FEATURES
    assert loadings["explained_variance_pc1"].iloc[0] > 0.5
    largest = loadings.loc[loadings["loading_pc1"].abs().idxmax(), "loading_pc1"]
    assert largest > 0


def test_centroids_reuse_the_evaluation_fit_and_match_a_refit():
    X = three_groups()
    config = settings()
    evaluation = evaluate_segmentations(X, config, max_names=10)
    k, fitted = selected_centroids(evaluation, config.features)
    assert fitted.shape == (k, len(FEATURES))
    reused = build_centroids(X, k, config, NAMES, fitted=fitted, scaling=SCALING)
    refitted = build_centroids(X, k, config, NAMES, scaling=SCALING)
    pd.testing.assert_frame_equal(reused, refitted)


def test_a_k_that_cannot_be_fitted_stores_no_centroids():
    X = three_groups()[:3]  # 3 customers, k_range 2..6
    evaluation = evaluate_segmentations(X, settings(min_segment_share=0), 10)
    fitted = evaluation.set_index("k")["fitted_centroids"]
    assert fitted[[4, 5, 6]].isna().all()
    assert fitted[[2, 3]].notna().all()


def test_stored_centroids_for_other_features_are_not_used():
    X = three_groups()
    evaluation = evaluate_segmentations(X, settings(), max_names=10)
    k, fitted = selected_centroids(evaluation, ("recency_days", "monetary"))
    assert k == 3 and fitted is None
