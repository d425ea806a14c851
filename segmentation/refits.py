"""Refits of the current segments at past as-of dates: how far centroids drift.

The current model's centroids score every as-of date in SQL, so labels
compare across dates. Whether the segments themselves still describe the
customers is a separate question: at each as-of date K-Means with the current
k is refitted on that date's (bounded, fixed-seed) sample, started from the
CURRENT model's centroids, and each refit centroid is matched one-to-one to
the current centroid it started from
(:func:`segmentation.clustering.match_centroids`), so segment ids and names
are the current model's at every date. Every date starts from the same
centroids rather than from the previous date's refit: a chain of refits is
path-dependent (from a handful of early customers it can walk into another
K-Means solution and stay there), while a refit from the current centroids
answers the question asked of each date, "would a refit now move the
segments?". How far a centroid is from the current one, how far it moved
since the previous date's refit, and how many customers a refit would
relabel (in SQL, ``segment_centroid_history``) tell when the model needs a
refit.

A date whose sample has fewer than ``min_refit_customers`` customers, or
fewer distinct customer profiles than k (K-Means would make empty or
duplicate segments), is not refitted: a refit on a handful of customers
says nothing about the segments. It carries the current centroids, flagged
``is_refitted`` false, with no distances.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans

from segmentation.clustering import assign_nearest, has_distinct_rows, match_centroids
from segmentation.pipeline import centroid_matrix, feature_matrix, threads_for
from segmentation.scaling import to_original_units


def refit_from(
    X: np.ndarray, start: np.ndarray, random_state: int
) -> tuple[np.ndarray, np.ndarray]:
    """Refit K-Means on ``X`` from the centroids ``start``, in ``start``'s order.

    One K-Means run (``n_init=1``) initialised at ``start``; its centroids are
    then matched one-to-one to ``start`` (Hungarian method,
    :func:`segmentation.clustering.match_centroids`), so row ``j`` of the
    result is the refit of ``start``'s row ``j`` even where K-Means swapped
    two segments on the way.

    Parameters
    ----------
    X : ndarray of shape (n_customers, n_features)
        Standardised features, with at least ``len(start)`` distinct rows.
    start : ndarray of shape (k, n_features)
        The centroids to start from (standardised).
    random_state : int
        Seed handed to K-Means (only its tie-breaking can use it: the start
        is fixed).

    Returns
    -------
    centroids : ndarray of shape (k, n_features)
        The refit centroids, row ``j`` matched to ``start[j]``.
    distances : ndarray of shape (k,)
        Euclidean distance from ``start[j]`` to its refit, in standardised
        units.

    Examples
    --------
    >>> X = np.array([[0.0], [0.2], [4.0], [4.2]])
    >>> centroids, distances = refit_from(X, np.array([[4.5], [0.5]]), 0)
    >>> centroids.ravel().round(2).tolist(), distances.round(2).tolist()
    ([4.1, 0.1], [0.4, 0.4])
    """
    start = np.asarray(start, dtype=float)
    model = KMeans(
        n_clusters=len(start), init=start, n_init=1, random_state=random_state
    )
    with threads_for(X):
        model.fit(X)
    matched, _ = match_centroids(model.cluster_centers_, start)
    centroids = np.empty_like(start)
    centroids[matched] = model.cluster_centers_
    return centroids, np.sqrt(((centroids - start) ** 2).sum(axis=1))


def as_dates(values: pd.Series) -> pd.Series:
    """As-of dates as ``datetime.date`` objects, whatever the engine returned.

    DuckDB hands dates to pandas as timestamps, Spark as ``datetime.date``;
    both become ``datetime.date``, which both engines store as a date.

    Examples
    --------
    >>> as_dates(pd.Series(pd.to_datetime(["2011-12-01"]))).tolist()
    [datetime.date(2011, 12, 1)]
    """
    return pd.Series(
        [pd.Timestamp(value).date() for value in values],
        index=values.index,
        dtype=object,
    )


def refit_history(
    sample: pd.DataFrame,
    centroids: pd.DataFrame,
    features: tuple[str, ...] | list[str],
    random_state: int,
    scaling: pd.DataFrame,
    min_customers: int,
) -> pd.DataFrame:
    """Refit the current segments at every as-of date of ``sample``.

    Each date is refitted from ``centroids`` (the current model's) and keeps
    their segment ids (:func:`refit_from`). A date whose sample has fewer
    than ``min_customers`` customers, or fewer distinct customer profiles
    than k, is not refitted: it carries the current centroids
    (``is_refitted`` false, both distances null). ``distance_moved`` of a
    refitted date is measured from the previous date's refit; it is null at
    the first date and after a date that was not refitted: there is no
    previous refit to have moved from (``distance_from_current`` still says
    how far the refit is from the current model). Rows of a date are
    ordered by customer_id before fitting, so the result does not depend on
    the order the warehouse returns them in.

    Parameters
    ----------
    sample : DataFrame
        ``int_customer_history__fit_sample``: ``as_of_date``, ``customer_id``
        and ``<feature>_scaled`` per feature.
    centroids : DataFrame
        ``int_segments__centroids``: ``segment_id`` and ``centroid_<feature>``
        (standardised) per feature.
    features : sequence of str
        The clustering features (var ``segment_features``).
    random_state : int
        Seed handed to K-Means.
    scaling : DataFrame
        ``int_features__scaling``: takes the refit centroids to original
        units (the current model's scaling).
    min_customers : int
        The fewest sample customers a date needs to be refitted (var
        ``min_refit_customers``), at least 1.

    Returns
    -------
    DataFrame
        One row per as-of date and segment: ``as_of_date`` (``datetime.date``),
        ``segment_id``, ``is_refitted``, ``fit_customers`` (sample customers
        nearest to the row's centroid), ``distance_moved`` (Euclidean, in
        standardised units, from the previous date's refit as above),
        ``distance_from_current`` (from the current model's centroid),
        ``centroid_<feature>`` (standardised) and
        ``centroid_<feature>_original`` per feature.

    Raises
    ------
    ValueError
        When ``centroids`` has no rows or lacks a ``centroid_<feature>``
        column, ``sample`` lacks a column it needs, or ``min_customers`` is
        below 1.

    Examples
    --------
    >>> sample = pd.DataFrame({"as_of_date": pd.to_datetime(["2011-11-01"] * 4),
    ...     "customer_id": ["a", "b", "c", "d"],
    ...     "frequency_scaled": [0.0, 0.2, 4.0, 4.2]})
    >>> current = pd.DataFrame({"segment_id": [1, 2],
    ...     "centroid_frequency": [4.5, 0.5]})
    >>> scaling = pd.DataFrame({"feature_name": ["frequency"],
    ...     "lower_cap": [0.0], "upper_cap": [9.0], "log_mean": [0.0],
    ...     "log_std": [1.0]})
    >>> refits = refit_history(sample, current, ["frequency"], 0, scaling, 4)
    >>> refits[["segment_id", "centroid_frequency", "distance_moved",
    ...     "distance_from_current"]].round(2)
       segment_id  centroid_frequency  distance_moved  distance_from_current
    0           1                 4.1             NaN                    0.4
    1           2                 0.1             NaN                    0.4
    """
    features = tuple(features)
    centroid_columns = [f"centroid_{feature}" for feature in features]
    missing = [
        c for c in ["segment_id", *centroid_columns] if c not in centroids.columns
    ]
    if missing:
        raise ValueError(f"the current centroids lack the columns {missing}")
    if len(centroids) == 0:
        raise ValueError("there are no current centroids to refit from")
    sample_columns = ["as_of_date", "customer_id"] + [f"{f}_scaled" for f in features]
    missing = [c for c in sample_columns if c not in sample.columns]
    if missing:
        raise ValueError(f"the refit sample lacks the columns {missing}")
    if int(min_customers) < 1:
        raise ValueError(f"min_refit_customers must be at least 1, got {min_customers}")

    segment_ids = np.sort(centroids["segment_id"].to_numpy(dtype=int))
    k = len(segment_ids)
    current = centroid_matrix(centroids, features)
    previous = None  # the previous date's refit, when it was refitted
    dates = as_dates(sample["as_of_date"])
    frames = []
    X = np.empty((0, len(features)))
    for as_of_date in sorted(dates.unique()):
        X = feature_matrix(sample[dates == as_of_date], features)
        if len(X) >= min_customers and has_distinct_rows(X, k):
            refit, from_current = refit_from(X, current, random_state)
            moved = (
                np.full(k, np.nan)
                if previous is None
                else np.sqrt(((refit - previous) ** 2).sum(axis=1))
            )
            is_refitted = True
        else:
            refit, from_current = current, np.full(k, np.nan)
            moved = np.full(k, np.nan)
            is_refitted = False
        frames.append(
            _date_rows(
                as_of_date, segment_ids, refit, moved, from_current, is_refitted, X
            )
        )
        previous = refit if is_refitted else None
    if not frames:  # no customer at any date yet: no rows, the same columns
        frames.append(_date_rows(None, segment_ids[:0], current[:0], [], [], True, X))
    return pd.concat(frames, ignore_index=True).pipe(_with_units, features, scaling)


def _date_rows(
    as_of_date: datetime.date | None,
    segment_ids: np.ndarray,
    refit: np.ndarray,
    moved: np.ndarray,
    from_current: np.ndarray,
    is_refitted: bool,
    X: np.ndarray,
) -> pd.DataFrame:
    """One as-of date's rows of :func:`refit_history`, without the units."""
    labels = assign_nearest(X, refit) if len(refit) else np.zeros(0, dtype=int)
    sizes = np.bincount(labels, minlength=len(refit))
    rows = pd.DataFrame(
        {
            "as_of_date": pd.Series([as_of_date] * len(refit), dtype=object),
            "segment_id": segment_ids.astype("int64"),
            "is_refitted": is_refitted,
            "fit_customers": sizes.astype("int64"),
            "distance_moved": np.asarray(moved, dtype=float),
            "distance_from_current": np.asarray(from_current, dtype=float),
        }
    )
    rows["centroid"] = list(refit)
    return rows


def _with_units(
    rows: pd.DataFrame, features: tuple[str, ...], scaling: pd.DataFrame
) -> pd.DataFrame:
    """Spread the centroids into standardised and original-unit columns."""
    matrix = np.array(rows.pop("centroid").tolist(), dtype=float).reshape(
        len(rows), len(features)
    )
    original = to_original_units(matrix, list(features), scaling)
    for position, feature in enumerate(features):
        rows[f"centroid_{feature}"] = matrix[:, position]
    for position, feature in enumerate(features):
        rows[f"centroid_{feature}_original"] = original[:, position]
    return rows
