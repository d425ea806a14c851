"""Stage 3: guest invoices (no customer), sized so that their lines take the
real data's share of the final row count."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.sample_data.customers import Purchases
from tools.sample_data.days import draw_days, draw_minutes
from tools.sample_data.parameters import (
    ADJUSTMENT_SHARE,
    CANCELLATION_SHARE,
    COUNTRY_SHARES,
    DUPLICATE_SHARE,
    FREE_GUEST_LINE_SHARE,
    MAX_LINES,
    MISSING_CUSTOMER_SHARE,
)


@dataclass
class Guests:
    """One entry per guest invoice; ``expected_lines`` is the row count the
    later stages size their quirks by."""

    lines: np.ndarray
    country: np.ndarray
    day: np.ndarray
    minute: np.ndarray
    has_dot: np.ndarray
    expected_lines: float


def draw_guests(
    rng: np.random.Generator, purchases: Purchases, cdf: np.ndarray
) -> Guests:
    """Draw the guest invoices: line count, country, day and minute."""
    n_days = len(cdf)
    countries = np.array(list(COUNTRY_SHARES), dtype=object)
    cust_lines = purchases.lines
    purchase_lines = int(cust_lines.sum())
    quirk_share = CANCELLATION_SHARE + DUPLICATE_SHARE + ADJUSTMENT_SHARE
    quirk_share += FREE_GUEST_LINE_SHARE
    guest_share = MISSING_CUSTOMER_SHARE * (1 - DUPLICATE_SHARE)
    guest_share -= ADJUSTMENT_SHARE + FREE_GUEST_LINE_SHARE
    total_est = purchase_lines / (1 - quirk_share - guest_share)
    guest_target = max(1, int(round(guest_share * total_est)))
    guest_pool = np.clip(
        np.rint(np.exp(rng.normal(np.log(6.0), 0.8, guest_target))), 1, MAX_LINES
    ).astype(np.int64)
    n_guest_inv = int(np.searchsorted(np.cumsum(guest_pool), guest_target)) + 1
    guest_lines = guest_pool[:n_guest_inv]
    guest_country = rng.choice(
        countries,
        n_guest_inv,
        p=[0.93] + [0.07 / (len(countries) - 1)] * (len(countries) - 1),
    )
    guest_day = draw_days(
        rng, cdf, np.zeros(n_guest_inv, np.int64), np.full(n_guest_inv, n_days - 1)
    )
    guest_min = draw_minutes(rng, n_guest_inv)
    has_dot = (guest_lines >= 4) & (rng.random(n_guest_inv) < 0.1)
    total_est = (purchase_lines + guest_lines.sum()) / (1 - quirk_share)
    return Guests(
        lines=guest_lines,
        country=guest_country,
        day=guest_day,
        minute=guest_min,
        has_dot=has_dot,
        expected_lines=total_est,
    )
