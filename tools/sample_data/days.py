"""When the shop invoices: trading days, busy seasons and opening hours."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.sample_data.parameters import HOUR_WEIGHTS


def trading_days(start: str, end: str) -> pd.DatetimeIndex:
    """Days the shop invoices: no Saturdays, closed 24 Dec to 3 Jan."""
    days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end), freq="D")
    closed = ((days.month == 12) & (days.day >= 24)) | (
        (days.month == 1) & (days.day <= 3)
    )
    return days[(days.day_of_week != 5) & ~closed]


def day_cdf(days: pd.DatetimeIndex) -> np.ndarray:
    """Cumulative day weights: busier in autumn, slowly growing trade."""
    doy = days.day_of_year.to_numpy(dtype=float)
    season = 1.0 + 0.8 * np.exp(-(((doy - 318.0) / 35.0) ** 2))
    growth = np.linspace(1.0, 1.25, len(days))
    weights = season * growth
    return np.cumsum(weights) / weights.sum()


def draw_days(
    rng: np.random.Generator, cdf: np.ndarray, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Draw one weighted trading-day index in ``[first, last]`` per element."""
    lo = np.where(first > 0, cdf[np.maximum(first - 1, 0)], 0.0)
    hi = cdf[last]
    target = lo + rng.random(len(first)) * (hi - lo)
    day = np.searchsorted(cdf, target, side="right")
    return np.clip(day, first, last)


def draw_minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Minute of day for ``n`` invoices, following the shop's opening hours."""
    hours = 7 + rng.choice(len(HOUR_WEIGHTS), n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    return hours * 60 + rng.integers(0, 60, n)
