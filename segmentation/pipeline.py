"""What each dbt Python model computes, as plain functions of DataFrames.

The models in ``models/intermediate/*.py`` only read their inputs, call one of
these functions and return its frame, so everything here runs (and is tested)
without dbt.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from segmentation.clustering import (
    ClusteringInputError,
    assign_nearest,
    choose_k,
    count_distinct_rows,
    evaluate_k,
    fit_kmeans,
    has_distinct_rows,
    match_previous,
    order_by_value,
)
from segmentation.naming import assign_names, segment_percentiles
from segmentation.settings import SegmentationSettings
from segmentation.stats import anova_by_feature, pca_loadings

#: below this many customers K-Means runs on one thread: its many short
#: parallel regions cost more than they save, and on a busy machine (a BI
#: refresh, another dbt run) OpenMP threads spinning against each other made a
#: 3,000-customer k evaluation take 99 s instead of 2.5 s
SINGLE_THREAD_BELOW = 50_000


@contextmanager
def threads_for(X: np.ndarray):
    """Limit OpenMP/BLAS to one thread for small inputs, leave large ones alone."""
    if len(X) < SINGLE_THREAD_BELOW:
        with threadpool_limits(limits=1):
            yield
    else:
        yield


def to_pandas(relation) -> pd.DataFrame:
    """A dbt Python model's relation as pandas, on any adapter.

    DuckDB relations have ``df()``, Snowpark ``to_pandas()``, Spark
    ``toPandas()``; a DataFrame is returned as it is.
    """
    if isinstance(relation, pd.DataFrame):
        return relation
    for method in ("df", "to_pandas", "toPandas"):
        if hasattr(relation, method):
            return getattr(relation, method)()
    raise TypeError(f"cannot turn {type(relation).__name__} into pandas")


def scaled_columns(features: tuple[str, ...] | list[str]) -> list[str]:
    """Column names of the standardised features in ``int_customers__standardised``."""
    return [f"{feature}_scaled" for feature in features]


def feature_matrix(customers: pd.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    """The standardised features as a matrix, rows ordered by customer_id.

    Ordering makes the result independent of the order the warehouse returns
    rows in.
    """
    ordered = customers.sort_values("customer_id", kind="stable")
    return ordered[scaled_columns(features)].to_numpy(dtype=float)


def evaluate_segmentations(
    X: np.ndarray, settings: SegmentationSettings, max_names: int
) -> pd.DataFrame:
    """Diagnostics of every k tried, with the k rule's verdict.

    With ``n_segments: auto`` and fewer distinct customer profiles than the
    smallest k of the range, the documented fallback is one segment.

    Raises
    ------
    ClusteringInputError
        When there are no customers, or a fixed ``n_segments`` exceeds the
        number of distinct customers.
    """
    if len(X) == 0:
        raise ClusteringInputError(
            "no customers to segment: every transaction line was excluded "
            "(see transaction_audit for the reasons)"
        )
    k_values = settings.k_values
    if settings.n_segments is not None and not has_distinct_rows(
        X, settings.n_segments
    ):
        raise ClusteringInputError(
            f"n_segments is {settings.n_segments} but there are only "
            f"{count_distinct_rows(X)} distinct customer profiles "
            f"({len(X)} customers); lower n_segments"
        )
    if settings.n_segments is None and not has_distinct_rows(X, settings.k_min):
        k_values = [1]

    with threads_for(X):
        diagnostics = evaluate_k(
            X,
            k_values,
            random_state=settings.random_state,
            n_init=settings.n_init,
            silhouette_sample_size=settings.silhouette_sample_size,
            stability_resamples=settings.stability_resamples,
        )
    result = choose_k(
        diagnostics,
        min_segment_share=settings.min_segment_share if len(k_values) > 1 else 0.0,
        max_k=max_names,
        min_stability_ari=settings.min_stability_ari if len(k_values) > 1 else 0.0,
    )
    if k_values == [1]:
        result["verdict"] = (
            f"selected as fallback: only {count_distinct_rows(X)} distinct "
            "customer profile(s), "
            f"fewer than the {settings.k_min} segments k_range starts at; one segment"
        )
    elif settings.n_segments is not None:
        result["verdict"] = f"selected: n_segments is fixed at {settings.n_segments}"
    result["fitted_centroids"] = [
        centroids_to_json(centroids, settings.features)
        for centroids in result.pop("centroids")
    ]
    return result


def centroids_to_json(centroids: np.ndarray | None, features) -> str | None:
    """A fit's centroids as JSON text: one object per centroid, feature -> value.

    Text, so that every warehouse can store it; Python's float repr makes the
    round trip through :func:`selected_centroids` exact.

    Examples
    --------
    >>> centroids_to_json(np.array([[0.5, -1.0]]), ["recency_days", "monetary"])
    '[{"recency_days": 0.5, "monetary": -1.0}]'
    """
    if centroids is None:
        return None
    return json.dumps(
        [dict(zip(features, map(float, row), strict=True)) for row in centroids]
    )


def selected_centroids(
    evaluation: pd.DataFrame, features: tuple[str, ...]
) -> tuple[int, np.ndarray | None]:
    """The selected k of ``int_segments__k_evaluation`` and the centroids it fitted.

    The centroids are None when the evaluation has none for the features
    asked for (it was built before, or with other features): the k is then
    fitted again.
    """
    selected = evaluation.loc[evaluation["is_selected"].astype(bool)].iloc[0]
    k = int(selected["k"])
    stored = selected.get("fitted_centroids")
    if not isinstance(stored, str):
        return k, None
    fitted = json.loads(stored)
    if len(fitted) != k or any(set(c) != set(features) for c in fitted):
        return k, None
    return k, np.array([[c[f] for f in features] for c in fitted], dtype=float)


def build_centroids(
    X: np.ndarray,
    k: int,
    settings: SegmentationSettings,
    names: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    fitted: np.ndarray | None = None,
) -> pd.DataFrame:
    """Fit the chosen k and describe each segment: id, name, action, centroid.

    ``fitted`` are the centroids :func:`evaluate_segmentations` already
    fitted for this k on the same ``X`` with the same settings; they are used
    instead of fitting again (K-Means with a fixed random_state gives the same
    centroids).

    Segment ids run from 1 (most valuable, see
    :func:`segmentation.clustering.order_by_value`). When the previous run's
    centroids all match the new ones (:func:`match_previous`), the previous ids,
    names and actions are kept.

    Returns
    -------
    DataFrame
        One row per segment: ``segment_id``, ``segment_name``,
        ``recommended_action``, ``value_score``, ``fit_customers``,
        ``fit_share``, ``naming_distance``, the ``*_score`` naming percentiles,
        and ``centroid_<feature>`` (standardised) for each feature.
    """
    features = list(settings.features)
    if fitted is not None and fitted.shape == (k, len(features)):
        centroids = fitted
    else:
        with threads_for(X):
            centroids, _, _ = fit_kmeans(X, k, settings.random_state, settings.n_init)
    order, value_scores = order_by_value(centroids, features, settings.lower_is_better)
    centroids = centroids[order]
    labels = assign_nearest(X, centroids)
    sizes = np.bincount(labels, minlength=k)

    table = pd.DataFrame({"segment_id": np.arange(1, k + 1)})
    table["value_score"] = value_scores
    table["fit_customers"] = sizes
    table["fit_share"] = sizes / len(X)
    profiles = segment_percentiles(X, labels, features, settings.lower_is_better)
    named = assign_names(profiles, names)
    table = pd.concat([table, named, profiles], axis=1)
    for position, feature in enumerate(features):
        table[f"centroid_{feature}"] = centroids[:, position]

    matched = _match_previous_run(table, previous, features, settings, names)
    if matched is not None:
        table = matched
    return table.sort_values("segment_id").reset_index(drop=True)


def _match_previous_run(
    table: pd.DataFrame,
    previous: pd.DataFrame | None,
    features: list[str],
    settings: SegmentationSettings,
    names: pd.DataFrame,
) -> pd.DataFrame | None:
    columns = [f"centroid_{feature}" for feature in features]
    if previous is None or not set(columns) <= set(previous.columns):
        return None
    previous = previous.sort_values("segment_id").reset_index(drop=True)
    if not previous["segment_name"].isin(names["segment_name"]).all():
        return None  # the naming scheme changed: name afresh
    matched = match_previous(
        table[columns].to_numpy(dtype=float),
        previous[columns].to_numpy(dtype=float),
        settings.segment_match_tolerance,
    )
    if matched is None:
        return None
    kept = table.copy()
    for column in ("segment_id", "segment_name", "recommended_action"):
        kept[column] = previous[column].to_numpy()[matched]
    return kept


def centroid_matrix(centroids: pd.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    """The centroids table's standardised centroids, rows in segment_id order."""
    ordered = centroids.sort_values("segment_id")
    return ordered[[f"centroid_{f}" for f in features]].to_numpy(dtype=float)


def feature_anova(
    X: np.ndarray, centroids: pd.DataFrame, features: tuple[str, ...]
) -> pd.DataFrame:
    """ANOVA of each standardised feature across the segments customers fall in."""
    matrix = centroid_matrix(centroids, features)
    labels = centroids.sort_values("segment_id")["segment_id"].to_numpy()[
        assign_nearest(X, matrix)
    ]
    return anova_by_feature(pd.DataFrame(X, columns=list(features)), labels)


def feature_pca(X: np.ndarray, features: tuple[str, ...]) -> pd.DataFrame:
    """PCA loadings of the standardised features (see :func:`pca_loadings`)."""
    return pca_loadings(X, list(features))
