"""Segment names that fit their members.

The naming rule (:func:`assign_names`):

1. Each segment is placed in the customer base: for recency, frequency,
   monetary value and average order value, every customer gets a percentile
   rank (0..1) in the whole base, and the segment's score is the median of
   its members' ranks, i.e. where the segment's median customer stands.
   Recency is flipped so that 1 means "bought most recently", like the
   others. (The median, not the centroid: on skewed features the centroid of
   log values sits far from the typical member, and the names must match the
   medians the profiles show.)
2. Each name in the naming seed (``seeds/segment_names_<scheme>.csv``)
   describes the profile it stands for with the same four scores, e.g.
   Champions = 0.85 / 0.90 / 0.90 / 0.70, Big One-Timers = 0.45 / 0.15 /
   0.60 / 0.85. A clustering feature with no score column in the seeds
   (``tenure_days``, ``units``, ...) shapes the segments but not their
   names: no name promises anything about it.
3. Names are given to segments one-to-one (no two segments share a name) so
   that the total squared distance between segment profiles and name profiles
   is smallest (the Hungarian method). Recency counts double in the distance:
   it decides the lifecycle stage (active, slipping, lapsed) that a name like
   "At Risk" or "Champions" promises, while frequency, spend and order value
   grade value.
4. How well a name fits is ``name_fit``: the weighted root-mean-square gap
   between the segment's scores and the name's, in percentile points (0 = a
   perfect fit, 0.2 = the segment's median customer stands on average 20
   percentiles away from what the name promises).

A marketer edits names, profiles and actions in the seed without touching code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import linear_sum_assignment

from segmentation.settings import SegmentationConfigError

#: feature -> the score column of the naming seeds that describes it
NAMING_SCORES = {
    "recency_days": "recency_score",
    "frequency": "frequency_score",
    "monetary": "monetary_score",
    "avg_order_value": "order_value_score",
}

#: weight of each score in the distance between a segment and a name
SCORE_WEIGHTS = {
    "recency_score": 2.0,
    "frequency_score": 1.0,
    "monetary_score": 1.0,
    "order_value_score": 1.0,
}


def segment_percentiles(
    X: np.ndarray,
    labels: np.ndarray,
    features: list[str],
    lower_is_better: tuple[str, ...] = ("recency_days",),
) -> pd.DataFrame:
    """Where each segment's median member stands in the customer base.

    Parameters
    ----------
    X : ndarray of shape (n_customers, n_features)
        Features of the customer base (or a sample of it), in any monotonic
        transformation of the original units (ranks do not change).
    labels : ndarray of shape (n_customers,)
        Segment of each customer, 0..k-1.
    features : list of str
        Names of the columns of ``X``.
    lower_is_better : tuple of str
        Features whose rank is flipped (1 - p), so 1 is always "best".

    Returns
    -------
    DataFrame
        One row per segment (0..k-1), one ``*_score`` column per naming
        feature present: the median percentile rank of the segment's members.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> segment_percentiles(X, np.array([0, 0, 1, 1]), ["frequency"])
       frequency_score
    0             0.25
    1             0.75
    """
    k = int(labels.max()) + 1 if len(labels) else 0
    scores = {}
    for position, feature in enumerate(features):
        if feature not in NAMING_SCORES:
            continue
        ranks = (stats.rankdata(X[:, position]) - 0.5) / len(X)
        if feature in lower_is_better:
            ranks = 1 - ranks
        scores[NAMING_SCORES[feature]] = [
            float(np.median(ranks[labels == segment]))
            if (labels == segment).any()
            else float("nan")
            for segment in range(k)
        ]
    if not scores:
        raise SegmentationConfigError(
            "segment names need at least one of "
            f"{', '.join(NAMING_SCORES)} in var segment_features"
        )
    return pd.DataFrame(scores)


def _score_columns(profiles: pd.DataFrame, names: pd.DataFrame) -> list[str]:
    score_columns = [c for c in profiles.columns if c.endswith("_score")]
    missing = [c for c in score_columns if c not in names.columns]
    if missing:
        raise SegmentationConfigError(
            f"the naming seed lacks the columns {missing}; it needs segment_name, "
            f"recommended_action and {score_columns}"
        )
    return score_columns


def _fit_matrix(
    profiles: pd.DataFrame, names: pd.DataFrame, score_columns: list[str]
) -> np.ndarray:
    """name_fit of every (segment, name) pair: weighted RMS gap of the scores."""
    wanted = profiles[score_columns].to_numpy(dtype=float)
    offered = names[score_columns].to_numpy(dtype=float)
    weights = np.array([SCORE_WEIGHTS.get(c, 1.0) for c in score_columns])
    squared = (weights * (wanted[:, None, :] - offered[None, :, :]) ** 2).sum(axis=2)
    return np.sqrt(squared / weights.sum())


def assign_names(profiles: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """Give each segment the seed name whose profile is closest, one-to-one.

    Parameters
    ----------
    profiles : DataFrame
        One row per segment with the ``*_score`` columns of
        :func:`segment_percentiles`.
    names : DataFrame
        The naming seed: ``segment_name``, ``recommended_action`` and the same
        ``*_score`` columns.

    Returns
    -------
    DataFrame
        ``segment_name``, ``recommended_action`` and ``name_fit`` for each row
        of ``profiles``, in the same order.

    Examples
    --------
    >>> names = pd.DataFrame({"segment_name": ["Champions", "Hibernating"],
    ...     "recommended_action": ["reward", "remind"],
    ...     "recency_score": [0.9, 0.1], "monetary_score": [0.9, 0.1]})
    >>> profiles = pd.DataFrame({"recency_score": [0.2, 0.8],
    ...                          "monetary_score": [0.3, 0.7]})
    >>> named = assign_names(profiles, names)
    >>> named.segment_name.tolist(), named.name_fit.round(3).tolist()
    (['Hibernating', 'Champions'], [0.141, 0.141])
    """
    score_columns = _score_columns(profiles, names)
    if len(profiles) > len(names):
        raise SegmentationConfigError(
            f"{len(profiles)} segments but the naming seed has only {len(names)} "
            f"names; add names to the seed or lower n_segments / k_range"
        )
    if names["segment_name"].duplicated().any():
        raise SegmentationConfigError("the naming seed lists a segment_name twice")
    fit = _fit_matrix(profiles, names, score_columns)
    # the Hungarian method on squared gaps: the smallest total squared distance
    rows, cols = linear_sum_assignment(fit**2)
    chosen = np.empty(len(profiles), dtype=int)
    chosen[rows] = cols
    return pd.DataFrame(
        {
            "segment_name": names["segment_name"].to_numpy()[chosen],
            "recommended_action": names["recommended_action"].to_numpy()[chosen],
            "name_fit": fit[np.arange(len(profiles)), chosen],
        }
    )


def name_fit(
    profiles: pd.DataFrame, names: pd.DataFrame, segment_names: list[str]
) -> np.ndarray:
    """How well given names fit the segments: ``name_fit`` of each pair.

    Parameters
    ----------
    profiles : DataFrame
        One row per segment with the ``*_score`` columns of
        :func:`segment_percentiles`.
    names : DataFrame
        The naming seed.
    segment_names : list of str
        The name each row of ``profiles`` carries; every one must be in
        ``names``.

    Returns
    -------
    ndarray
        Weighted root-mean-square gap between each segment's scores and its
        name's profile (0 = perfect fit).

    Examples
    --------
    >>> names = pd.DataFrame({"segment_name": ["Champions", "Hibernating"],
    ...     "recommended_action": ["reward", "remind"],
    ...     "recency_score": [0.9, 0.1], "monetary_score": [0.9, 0.1]})
    >>> profiles = pd.DataFrame({"recency_score": [0.2], "monetary_score": [0.3]})
    >>> name_fit(profiles, names, ["Champions"]).round(3).tolist()
    [0.668]
    """
    score_columns = _score_columns(profiles, names)
    position = {name: i for i, name in enumerate(names["segment_name"])}
    unknown = [n for n in segment_names if n not in position]
    if unknown:
        raise SegmentationConfigError(f"names {unknown} are not in the naming seed")
    fit = _fit_matrix(profiles, names, score_columns)
    return fit[np.arange(len(profiles)), [position[n] for n in segment_names]]
