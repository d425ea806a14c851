"""K-Means on standardised customer features: choosing k, fitting, stable ids.

Every function takes a feature matrix ``X`` (customers x features) that is
already capped, log-transformed and standardised (that happens in SQL, in
``int_customers__standardised``), and an explicit ``random_state``, so that the
same input gives the same result.

The rule for ``n_segments: auto`` (:func:`choose_k`):

1. A k is *eligible* when its smallest segment holds at least
   ``min_segment_share`` of the customers (a 14-customer segment is not a
   marketing segment), its segments are stable (``stability_ari`` at least
   ``min_stability_ari``: refits on bootstrap resamples find the same
   segments) and the naming scheme has enough names for it.
2. The elbow: on the inertia curve of every k fitted, the k lying furthest
   below the chord from the first to the last point (both axes scaled to
   0..1) is where adding segments stops paying off. The eligible k with the
   highest elbow score and its eligible neighbours (k - 1, k + 1) are the
   candidates.
3. Among the candidates, each is ranked on silhouette (higher is better),
   Calinski-Harabasz (higher) and Davies-Bouldin (lower); the best (lowest)
   mean rank wins. A tie goes to the more stable k (higher ``stability_ari``),
   then to the smaller k.
4. When no k is eligible, the fitted k whose smallest segment is largest is
   chosen, and its verdict says so.

Silhouette and Calinski-Harabasz alone favour k = 2 on customer data, which
has no well-separated blobs; the elbow alone depends on the ends of the range.
Together, the elbow picks the region and the separation scores pick the k.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
)

DIAGNOSTIC_COLUMNS = [
    "k",
    "inertia",
    "silhouette",
    "davies_bouldin",
    "calinski_harabasz",
    "smallest_segment_share",
    "stability_ari",
]


class ClusteringInputError(ValueError):
    """The customers cannot be split into the segments asked for."""


def sample_indices(n_rows: int, size: int, random_state: int) -> np.ndarray:
    """Return sorted row indices of a fixed-seed sample of at most ``size`` rows.

    Examples
    --------
    >>> sample_indices(5, 10, 0).tolist()
    [0, 1, 2, 3, 4]
    >>> len(sample_indices(1000, 10, 0))
    10
    """
    if n_rows <= size:
        return np.arange(n_rows)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_rows, size=size, replace=False))


def count_distinct_rows(X: np.ndarray) -> int:
    """Number of distinct rows of ``X``.

    Examples
    --------
    >>> count_distinct_rows(np.array([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0]]))
    2
    """
    if len(X) == 0:
        return 0
    return len(np.unique(np.asarray(X), axis=0))


def has_distinct_rows(X: np.ndarray, k: int) -> bool:
    """Whether ``X`` has at least ``k`` distinct rows.

    Counting every distinct row of a large sample is not free, and the
    first rows nearly always settle it, so they are looked at first.

    Examples
    --------
    >>> has_distinct_rows(np.array([[1.0], [1.0], [2.0]]), 2)
    True
    >>> has_distinct_rows(np.array([[1.0], [1.0], [2.0]]), 3)
    False
    """
    head = max(1000, 100 * k)
    if len(X) > head and count_distinct_rows(X[:head]) >= k:
        return True
    return count_distinct_rows(X) >= k


def fit_kmeans(
    X: np.ndarray, k: int, random_state: int, n_init: int = 10
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fit K-Means and return its centroids, labels and inertia.

    Raises :class:`ClusteringInputError` when ``X`` has fewer distinct rows
    than ``k`` (K-Means would return empty or duplicate segments).

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [5.0], [5.1]])
    >>> centroids, labels, inertia = fit_kmeans(X, 2, random_state=0)
    >>> sorted(np.round(centroids.ravel(), 2).tolist())
    [0.05, 5.05]
    """
    if not has_distinct_rows(X, k):
        raise ClusteringInputError(
            f"cannot make {k} segments from {count_distinct_rows(X)} distinct "
            "customer profiles "
            f"({len(X)} customers); lower n_segments or k_range"
        )
    model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state)
    labels = model.fit_predict(X)
    return model.cluster_centers_, labels, float(model.inertia_)


def assign_nearest(X: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the nearest centroid for every row (ties go to the lower index).

    This is what ``int_customers__segment_assignment`` does in SQL.

    Examples
    --------
    >>> assign_nearest(np.array([[0.0], [4.0]]), np.array([[1.0], [5.0]])).tolist()
    [0, 1]
    """
    distances = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return distances.argmin(axis=1)


def silhouette(X: np.ndarray, labels: np.ndarray, chunk_rows: int = 1000) -> float:
    """Mean silhouette coefficient, as ``sklearn.metrics.silhouette_score``.

    The same definition (Euclidean distances; 0 for a row alone in its
    segment) in plain numpy: each block of ``chunk_rows`` rows gets its
    distances to every row, and one matrix product sums them per segment:
    faster than scikit-learn's, and it runs once per k tried
    (docs/decisions.md). Needs 2 <= segments <= rows - 1, as scikit-learn's
    does.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> round(silhouette(X, np.array([0, 0, 1, 1])), 4)
    0.8997
    """
    X = np.asarray(X, dtype=float)
    _, segment = np.unique(labels, return_inverse=True)
    n_rows, n_segments = len(X), segment.max() + 1
    if not 2 <= n_segments <= n_rows - 1:
        raise ValueError(
            f"silhouette needs 2 to {n_rows - 1} segments, got {n_segments}"
        )
    membership = np.zeros((n_rows, n_segments))
    membership[np.arange(n_rows), segment] = 1.0
    sizes = membership.sum(axis=0)
    squared_norms = (X * X).sum(axis=1)
    rows = np.arange(n_rows)
    distance_sums = np.empty((n_rows, n_segments))
    for start in range(0, n_rows, chunk_rows):
        block = slice(start, start + chunk_rows)
        distances = squared_norms[block, None] + squared_norms[None, :]
        distances -= 2.0 * (X[block] @ X.T)
        np.maximum(distances, 0.0, out=distances)
        np.sqrt(distances, out=distances)
        distances[rows[block] - start, rows[block]] = 0.0  # each row to itself
        distance_sums[block] = distances @ membership
    own_size = sizes[segment]
    within = distance_sums[rows, segment] / np.maximum(own_size - 1, 1)
    to_others = distance_sums / sizes
    to_others[rows, segment] = np.inf
    nearest_other = to_others.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (nearest_other - within) / np.maximum(within, nearest_other)
    scores[own_size == 1] = 0.0
    return float(np.nan_to_num(scores).mean())


def stability_ari(
    X: np.ndarray,
    k: int,
    labels: np.ndarray,
    random_state: int,
    n_init: int = 10,
    resamples: int = 5,
) -> float:
    """Mean adjusted Rand index between ``labels`` and refits on bootstrap resamples.

    Each refit is fitted on a bootstrap resample of the rows (with its own
    random state) and then assigns every row of ``X`` to its nearest centroid.
    1.0 means every refit finds the same segments; values near 0 mean the
    segments are an accident of the sample. Returns NaN when ``resamples`` is
    0 or k is 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 0.1, (50, 2)), rng.normal(5, 0.1, (50, 2))])
    >>> _, labels, _ = fit_kmeans(X, 2, random_state=0)
    >>> stability_ari(X, 2, labels, random_state=0, resamples=3)
    1.0
    """
    if resamples == 0 or k < 2:
        return float("nan")
    rng = np.random.default_rng(random_state)
    scores = []
    for resample in range(resamples):
        rows = rng.integers(0, len(X), len(X))
        if not has_distinct_rows(X[rows], k):
            continue
        model = KMeans(
            n_clusters=k, n_init=n_init, random_state=random_state + resample + 1
        )
        model.fit(X[rows])
        scores.append(
            adjusted_rand_score(labels, assign_nearest(X, model.cluster_centers_))
        )
    return float(np.mean(scores)) if scores else float("nan")


def evaluate_k(
    X: np.ndarray,
    k_values: list[int],
    random_state: int,
    n_init: int = 10,
    silhouette_sample_size: int = 10_000,
    stability_resamples: int = 5,
) -> pd.DataFrame:
    """Fit K-Means for each k and measure it.

    Parameters
    ----------
    X : ndarray of shape (n_customers, n_features)
        Standardised features (already a fixed-seed sample when large).
    k_values : list of int
        The k values to try.
    random_state : int
        Seed for K-Means, the silhouette sample and the bootstrap resamples.
    n_init : int
        K-Means restarts per fit.
    silhouette_sample_size : int
        Silhouette and stability are computed on a fixed-seed sample of at
        most this many rows (silhouette is quadratic in the rows).
    stability_resamples : int
        Bootstrap refits behind ``stability_ari``.

    Returns
    -------
    DataFrame
        One row per k with :data:`DIAGNOSTIC_COLUMNS` and ``centroids``, the
        fitted centroids (an array of k rows, in K-Means' own order), so that
        the selected k need not be fitted again. A k that cannot be fitted
        (fewer distinct customers than k) has NaN metrics, a smallest segment
        share of 0 and no centroids.

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    >>> d = evaluate_k(X, [2, 3], random_state=0, stability_resamples=0)
    >>> d[["k", "smallest_segment_share"]].round(2).values.tolist()
    [[2.0, 0.5], [3.0, 0.17]]
    """
    sample = sample_indices(len(X), silhouette_sample_size, random_state)
    rows = []
    for k in k_values:
        row = dict.fromkeys(DIAGNOSTIC_COLUMNS, float("nan"))
        row.update(k=k, smallest_segment_share=0.0, centroids=None)
        rows.append(row)
        try:  # fit_kmeans checks that X has k distinct rows
            centroids, labels, inertia = fit_kmeans(X, k, random_state, n_init)
        except ClusteringInputError:
            continue
        row.update(
            centroids=centroids,
            inertia=inertia,
            smallest_segment_share=np.bincount(labels, minlength=k).min() / len(X),
        )
        # the scores need 2 <= segments <= customers - 1
        if 2 <= k < len(X):
            sampled_segments = len(np.unique(labels[sample]))
            if 2 <= sampled_segments < len(sample):
                row.update(silhouette=silhouette(X[sample], labels[sample]))
            row.update(
                davies_bouldin=float(davies_bouldin_score(X, labels)),
                calinski_harabasz=float(calinski_harabasz_score(X, labels)),
                stability_ari=stability_ari(
                    X[sample],
                    k,
                    labels[sample],
                    random_state,
                    n_init,
                    stability_resamples,
                ),
            )
    return pd.DataFrame(rows, columns=[*DIAGNOSTIC_COLUMNS, "centroids"])


def elbow_scores(k: pd.Series, inertia: pd.Series) -> pd.Series:
    """How far each point of the inertia curve lies below the chord from its
    first to its last point, both axes scaled to 0..1. The elbow scores highest.

    Examples
    --------
    >>> k, inertia = pd.Series([1, 2, 3, 4]), pd.Series([100.0, 30.0, 20.0, 10.0])
    >>> elbow_scores(k, inertia).round(2).tolist()
    [0.0, 0.44, 0.22, 0.0]
    """
    if len(k) < 3 or inertia.max() == inertia.min():
        return pd.Series(0.0, index=k.index)
    x = (k - k.min()) / (k.max() - k.min())
    y = (inertia - inertia.min()) / (inertia.max() - inertia.min())
    return ((1 - x) - y).clip(lower=0).round(12)


def choose_k(
    diagnostics: pd.DataFrame,
    min_segment_share: float,
    max_k: int | None = None,
    min_stability_ari: float = 0.0,
) -> pd.DataFrame:
    """Apply the k rule (see the module docstring) to :func:`evaluate_k`'s output.

    Returns the diagnostics with ``elbow_score``, ``is_eligible``,
    ``is_elbow_candidate``, ``mean_rank`` (candidates only), ``is_selected``
    and a plain-words ``verdict`` added.

    Examples
    --------
    >>> d = pd.DataFrame({"k": [2, 3, 4, 5], "inertia": [100.0, 40.0, 30.0, 25.0],
    ...     "silhouette": [0.5, 0.45, 0.3, 0.3], "davies_bouldin": [0.8, 0.7, 0.9, 1],
    ...     "calinski_harabasz": [900.0, 950.0, 800.0, 700.0],
    ...     "smallest_segment_share": [0.3, 0.1, 0.05, 0.01],
    ...     "stability_ari": [1, 1, 1, 1]})
    >>> choose_k(d, min_segment_share=0.02).query("is_selected").k.tolist()
    [3]
    """
    result = diagnostics.copy().reset_index(drop=True)
    fitted = result["inertia"].notna()
    result["elbow_score"] = np.nan
    result.loc[fitted, "elbow_score"] = elbow_scores(
        result.loc[fitted, "k"], result.loc[fitted, "inertia"]
    )
    too_small = result["smallest_segment_share"] < min_segment_share
    too_many = (result["k"] > max_k) if max_k is not None else False
    unstable = result["stability_ari"] < min_stability_ari  # NaN is not unstable
    result["is_eligible"] = fitted & ~too_small & ~too_many & ~unstable

    eligible = result[result["is_eligible"]]
    result["is_elbow_candidate"] = False
    elbow_k = None
    if len(eligible):
        elbow_k = int(eligible.loc[eligible["elbow_score"].idxmax(), "k"])
        near_elbow = (eligible["k"] - elbow_k).abs() <= 1
        result.loc[eligible.index[near_elbow], "is_elbow_candidate"] = True
    candidates = result[result["is_elbow_candidate"]]
    ranks = pd.DataFrame(
        {
            "silhouette": candidates["silhouette"].rank(ascending=False),
            "calinski_harabasz": candidates["calinski_harabasz"].rank(ascending=False),
            "davies_bouldin": candidates["davies_bouldin"].rank(ascending=True),
        }
    )
    result["mean_rank"] = ranks.mean(axis=1, skipna=True)

    if len(candidates):
        order = result[result["is_elbow_candidate"]].assign(
            _stability=result["stability_ari"].fillna(0)
        )
        order = order.sort_values(
            ["mean_rank", "_stability", "k"], ascending=[True, False, True]
        )
        selected = order.index[0]
        fallback = False
    else:
        selected = result["smallest_segment_share"].idxmax()
        fallback = True
    result["is_selected"] = result.index == selected

    verdicts = []
    for index, row in result.iterrows():
        share = f"{row.smallest_segment_share:.1%}"
        if not fitted[index]:
            verdict = "rejected: fewer distinct customers than k"
        elif index == selected and fallback:
            verdict = (
                "selected as fallback: no k met the rules (segment share, "
                f"stability, names); this k's smallest segment is the largest ({share})"
            )
        elif index == selected:
            verdict = (
                f"selected: {_elbow_position(row.k, elbow_k)}, best mean rank "
                f"{row.mean_rank:.2f} over silhouette, Calinski-Harabasz and "
                f"Davies-Bouldin; smallest segment {share}"
            )
        elif max_k is not None and row.k > max_k:
            verdict = f"rejected: the naming scheme has only {max_k} names"
        elif too_small[index]:
            verdict = (
                f"rejected: smallest segment {share} is under the "
                f"{min_segment_share:.0%} minimum"
            )
        elif unstable[index]:
            verdict = (
                f"rejected: unstable, stability ARI {row.stability_ari:.2f} is under "
                f"{min_stability_ari:.2f}"
            )
        elif row.is_elbow_candidate:
            verdict = (
                f"eligible, {_elbow_position(row.k, elbow_k)}, not selected: "
                f"mean rank {row.mean_rank:.2f}"
            )
        else:
            verdict = (
                f"eligible, not selected: not at or next to the elbow (k = {elbow_k})"
            )
        verdicts.append(verdict)
    result["verdict"] = verdicts
    return result


def _elbow_position(k: int, elbow_k: int) -> str:
    if k == elbow_k:
        return f"at the elbow (k = {elbow_k})"
    return f"next to the elbow (k = {elbow_k})"


def order_by_value(
    centroids: np.ndarray, features: list[str], lower_is_better: tuple[str, ...] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Order centroids from most to least valuable.

    A centroid's value score is the mean of its standardised coordinates, with
    the sign flipped for features where lower is better (recency_days: days
    since the last order). Segment id 1 is the most valuable.

    Returns
    -------
    order : ndarray
        ``order[i]`` is the index of the centroid that becomes segment ``i + 1``.
    value_scores : ndarray
        The value score of each centroid, in that new order.

    Examples
    --------
    >>> c = np.array([[1.0, -1.0], [-1.0, 1.0]])   # recency_days, monetary
    >>> order, scores = order_by_value(c, ["recency_days", "monetary"],
    ...                                ("recency_days",))
    >>> order.tolist(), scores.tolist()
    ([1, 0], [1.0, -1.0])
    """
    signs = np.array([-1.0 if f in lower_is_better else 1.0 for f in features])
    scores = (centroids * signs).mean(axis=1)
    order = np.argsort(-scores, kind="stable")
    return order, scores[order]


def match_centroids(
    centroids: np.ndarray, previous: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pair new centroids with previous ones one-to-one, closest first.

    Returns, for each new centroid, the index of the previous centroid it is
    paired with (Hungarian method on the root-mean-square difference per
    feature) and that distance.

    Examples
    --------
    >>> new = np.array([[0.0, 0.0], [3.0, 3.0]])
    >>> old = np.array([[3.0, 3.2], [0.0, 0.1]])
    >>> matched, distances = match_centroids(new, old)
    >>> matched.tolist(), distances.round(3).tolist()
    ([1, 0], [0.071, 0.141])
    """
    if previous.shape != centroids.shape:
        raise ValueError(
            f"cannot match {centroids.shape} centroids with {previous.shape}"
        )
    distances = np.sqrt(
        ((centroids[:, None, :] - previous[None, :, :]) ** 2).mean(axis=2)
    )
    rows, cols = linear_sum_assignment(distances)
    matched = np.empty(len(centroids), dtype=int)
    matched[rows] = cols
    return matched, distances[np.arange(len(centroids)), matched]
