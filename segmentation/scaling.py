"""The feature transformation of ``int_features__scaling``, in Python.

The warehouse turns each clustering feature into the space K-Means works in:
cap at the customer base's quantiles, signed log1p, standardise with the mean
and standard deviation of the capped logs (``macros/features``). These
functions apply the same transformation, and its inverse, with the stored
parameters, so that centroids can be read in original units (days, orders,
money) and compared across runs whose customer bases differ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: the columns of ``int_features__scaling`` the transformation needs
SCALING_COLUMNS = ("feature_name", "lower_cap", "upper_cap", "log_mean", "log_std")


def scaling_parameters(scaling: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """The scaling table's rows for ``features``, in that order.

    Raises
    ------
    ValueError
        When a feature has no row, so a transformation would be silently wrong.
    """
    missing_columns = [c for c in SCALING_COLUMNS if c not in scaling.columns]
    if missing_columns:
        raise ValueError(f"the scaling table lacks the columns {missing_columns}")
    indexed = scaling.set_index("feature_name")
    missing = [f for f in features if f not in indexed.index]
    if missing:
        raise ValueError(f"the scaling table has no parameters for {missing}")
    return indexed.loc[list(features)]


def to_original_units(
    standardised: np.ndarray, features: list[str], scaling: pd.DataFrame
) -> np.ndarray:
    """Map points of the standardised space back to original units.

    The inverse of :func:`to_standardised` on values within the caps: a
    centroid becomes the feature values of the customer who would sit on it.

    Examples
    --------
    >>> scaling = pd.DataFrame({"feature_name": ["frequency"], "lower_cap": [1.0],
    ...     "upper_cap": [50.0], "log_mean": [np.log(3)], "log_std": [1.0]})
    >>> to_original_units(np.array([[0.0], [1.0]]), ["frequency"], scaling).round(3)
    array([[2.   ],
           [7.155]])
    """
    parameters = scaling_parameters(scaling, features)
    means = parameters["log_mean"].to_numpy(dtype=float)
    stds = parameters["log_std"].to_numpy(dtype=float)
    logs = np.asarray(standardised, dtype=float) * stds + means
    return np.sign(logs) * np.expm1(np.abs(logs))


def to_standardised(
    values: np.ndarray, features: list[str], scaling: pd.DataFrame
) -> np.ndarray:
    """Cap, signed-log and standardise feature values as the warehouse does.

    A feature with no spread (``log_std`` 0) is 0 for everyone, as in
    ``int_customers__standardised``.

    Examples
    --------
    >>> scaling = pd.DataFrame({"feature_name": ["frequency"], "lower_cap": [1.0],
    ...     "upper_cap": [50.0], "log_mean": [np.log(3)], "log_std": [1.0]})
    >>> to_standardised(np.array([[2.0], [500.0]]), ["frequency"], scaling).round(3)
    array([[0.   ],
           [2.833]])
    """
    parameters = scaling_parameters(scaling, features)
    capped = np.clip(
        np.asarray(values, dtype=float),
        parameters["lower_cap"].to_numpy(dtype=float),
        parameters["upper_cap"].to_numpy(dtype=float),
    )
    logs = np.sign(capped) * np.log1p(np.abs(capped))
    stds = parameters["log_std"].to_numpy(dtype=float)
    centred = logs - parameters["log_mean"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(stds > 0, centred / np.where(stds > 0, stds, 1.0), 0.0)
