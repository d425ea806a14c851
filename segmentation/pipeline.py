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
    match_centroids,
    order_by_value,
)
from segmentation.naming import assign_names, name_fit, segment_percentiles
from segmentation.scaling import to_original_units, to_standardised
from segmentation.settings import SegmentationSettings
from segmentation.stats import anova_by_feature, pca_loadings

#: below this many customers K-Means runs on one thread: its many short
#: parallel regions cost more than they save, and on a busy machine (a BI
#: refresh, another dbt run) OpenMP threads spinning against each other made a
#: small k evaluation many times slower (docs/decisions.md)
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
    *,
    scaling: pd.DataFrame,
) -> pd.DataFrame:
    """Fit the chosen k and describe each segment: id, name, action, centroid.

    ``fitted`` are the centroids :func:`evaluate_segmentations` already
    fitted for this k on the same ``X`` with the same settings; they are used
    instead of fitting again (K-Means with a fixed random_state gives the same
    centroids).

    Segment ids run from 1 (most valuable, see
    :func:`segmentation.clustering.order_by_value`). The previous run's ids,
    names and actions are kept only under the rule of
    :func:`carry_over_previous`; ``naming_verdict`` says what happened.

    Parameters
    ----------
    scaling : DataFrame
        ``int_features__scaling`` of this run: turns centroids into original
        units, and the previous run's original-unit centroids into this run's
        standardised space.

    Returns
    -------
    DataFrame
        One row per segment: ``segment_id``, ``segment_name``,
        ``recommended_action``, ``value_score``, ``fit_customers``,
        ``fit_share``, ``name_fit``, the ``*_score`` naming percentiles,
        ``centroid_<feature>`` (standardised) and
        ``centroid_<feature>_original`` (original units) for each feature,
        ``input_fingerprint`` and ``naming_verdict``.
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
    original = to_original_units(centroids, features, scaling)
    for position, feature in enumerate(features):
        table[f"centroid_{feature}"] = centroids[:, position]
    for position, feature in enumerate(features):
        table[f"centroid_{feature}_original"] = original[:, position]
    table["input_fingerprint"] = settings.input_fingerprint

    table, verdict = carry_over_previous(
        table, profiles, previous, features, settings, names, scaling
    )
    table["naming_verdict"] = verdict
    return table.sort_values("segment_id").reset_index(drop=True)


def carry_over_previous(
    table: pd.DataFrame,
    profiles: pd.DataFrame,
    previous: pd.DataFrame | None,
    features: list[str],
    settings: SegmentationSettings,
    names: pd.DataFrame,
    scaling: pd.DataFrame,
) -> tuple[pd.DataFrame, str]:
    """Keep the previous run's ids and names where they still describe the data.

    The rule: the previous run's segment ids, names and actions are kept only
    when all of these hold, and the segments are named afresh otherwise:

    1. the previous run read the same input (same ``input_fingerprint``:
       source, column map and monetary basis), so that it is the same shop;
    2. it used the same naming scheme, features and k;
    3. its centroids, taken to original units through its own stored values
       and then through *this* run's scaler, each lie within
       ``segment_match_tolerance`` (root-mean-square standard deviations) of a
       new centroid, matched one-to-one. Comparing in this run's space, not
       each run's own standardised units, keeps another shop's segments from
       "matching" merely because both were standardised;
    4. every carried name still fits its segment (``name_fit`` at most
       ``max_name_fit``).

    ``profiles`` are the segments' naming percentiles
    (:func:`segmentation.naming.segment_percentiles`), in ``table``'s row
    order.

    Returns
    -------
    table : DataFrame
        ``table`` with the previous ids, names and actions (and their
        ``name_fit``) when kept, else ``table`` unchanged.
    verdict : str
        What happened and why, in plain words (``naming_verdict``).
    """
    original_columns = [f"centroid_{feature}_original" for feature in features]
    if previous is None or len(previous) == 0:
        return table, "named afresh: first run, no previous segments"
    if "input_fingerprint" not in previous.columns or not set(original_columns) <= set(
        previous.columns
    ):
        return table, (
            "named afresh: the previous segments were built by an older version "
            "without an input fingerprint"
        )
    previous_fingerprint = previous["input_fingerprint"].iloc[0]
    if previous_fingerprint != settings.input_fingerprint:
        return table, (
            "named afresh: the previous run read other input "
            "(transactions_path, transaction_columns or monetary_basis differ)"
        )
    if not previous["segment_name"].isin(names["segment_name"]).all():
        return table, "named afresh: the naming scheme changed"
    if len(previous) != len(table):
        return table, (
            f"named afresh: the previous run had {len(previous)} segments, "
            f"this one {len(table)}"
        )
    previous = previous.sort_values("segment_id").reset_index(drop=True)
    previous_std = to_standardised(
        previous[original_columns].to_numpy(dtype=float), features, scaling
    )
    current_std = table[[f"centroid_{f}" for f in features]].to_numpy(dtype=float)
    matched, distances = match_centroids(current_std, previous_std)
    moved = float(distances.max())
    if moved > settings.segment_match_tolerance:
        return table, (
            f"named afresh: a centroid moved {moved:.2f} standard deviations, "
            f"more than segment_match_tolerance ({settings.segment_match_tolerance})"
        )
    kept = table.copy()
    for column in ("segment_id", "segment_name", "recommended_action"):
        kept[column] = previous[column].to_numpy()[matched]
    kept["name_fit"] = name_fit(profiles, names, kept["segment_name"].tolist())
    worst = int(kept["name_fit"].to_numpy().argmax())
    if kept["name_fit"].iloc[worst] > settings.max_name_fit:
        return table, (
            f"named afresh: the previous name {kept['segment_name'].iloc[worst]!r} "
            f"no longer fits its segment (name_fit "
            f"{kept['name_fit'].iloc[worst]:.2f} > max_name_fit "
            f"{settings.max_name_fit})"
        )
    return kept, (
        "kept the previous run's ids and names: same input, every centroid within "
        f"{moved:.2f} standard deviations, every name still fits"
    )


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
