"""Descriptive statistics of a segmentation: PCA projection and ANOVA."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.decomposition import PCA


def pca_loadings(
    X: np.ndarray, features: list[str], n_components: int = 2
) -> pd.DataFrame:
    """Principal components of the standardised features, for a 2-D scatter.

    Returns one row per feature with ``loading_pc1``, ``loading_pc2`` (a
    customer's ``pca_1`` is the sum of its standardised features times
    ``loading_pc1``; the features are centred already) and the share of
    variance each component explains. Signs are fixed so that each component's
    largest loading is positive, which keeps reruns identical. With a single
    feature the second component is 0.

    Examples
    --------
    >>> X = np.array([[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0]])
    >>> pca_loadings(X, ["a", "b"]).round(3).loading_pc1.tolist()
    [0.707, 0.707]
    """
    components = min(n_components, X.shape[1], max(len(X), 1))
    loadings = np.zeros((n_components, X.shape[1]))
    explained = np.zeros(n_components)
    if len(X) >= 2 and components >= 1:
        pca = PCA(n_components=components, svd_solver="full").fit(X)
        for index, component in enumerate(pca.components_):
            sign = 1.0 if component[np.argmax(np.abs(component))] >= 0 else -1.0
            loadings[index] = sign * component
        explained[:components] = np.nan_to_num(pca.explained_variance_ratio_)
    return pd.DataFrame(
        {
            "feature_name": features,
            "loading_pc1": loadings[0],
            "loading_pc2": loadings[1] if n_components > 1 else 0.0,
            "explained_variance_pc1": explained[0],
            "explained_variance_pc2": explained[1] if n_components > 1 else 0.0,
        }
    )


def anova_by_feature(values: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """One-way ANOVA of each feature across segments.

    Returns one row per column of ``values`` with the F statistic and its
    p-value; both are NaN with fewer than two segments or a feature without
    spread inside the segments.

    Examples
    --------
    >>> v = pd.DataFrame({"x": [1.0, 1.1, 0.9, 5.0, 5.1, 4.9]})
    >>> r = anova_by_feature(v, np.array([1, 1, 1, 2, 2, 2]))
    >>> bool(r.p_value.iloc[0] < 0.001)
    True
    """
    groups = pd.unique(labels)
    rows = []
    for feature in values.columns:
        column = values[feature].to_numpy(dtype=float)
        f_statistic, p_value = np.nan, np.nan
        parts = [column[labels == g] for g in groups]
        within = sum(((p - p.mean()) ** 2).sum() for p in parts)
        if len(groups) >= 2 and len(column) > len(groups) and within > 0:
            f_statistic, p_value = stats.f_oneway(*parts)
        rows.append(
            {
                "feature_name": feature,
                "f_statistic": float(f_statistic),
                "p_value": float(p_value),
            }
        )
    return pd.DataFrame(rows)
