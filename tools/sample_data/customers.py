"""Stage 2: the customers, and the purchase invoices each of them makes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tools.sample_data.days import draw_days, draw_minutes
from tools.sample_data.parameters import (
    COUNTRY_SHARES,
    CUSTOMER_ID_RANGE,
    MAX_LINES,
    SEGMENTS,
)


@dataclass
class Customers:
    """One entry per customer: id, country, behaviour and active period."""

    id: np.ndarray
    country: np.ndarray
    one_off: np.ndarray
    wholesaler: np.ndarray
    n_invoices: np.ndarray
    basket_scale: np.ndarray
    first: np.ndarray
    last: np.ndarray


@dataclass
class Purchases:
    """One entry per purchase invoice of a customer (not yet numbered)."""

    customer: np.ndarray
    day: np.ndarray
    minute: np.ndarray
    lines: np.ndarray
    has_post: np.ndarray
    extra: np.ndarray
    huge: int


def exact_counts(shares: Sequence[float], n: int) -> np.ndarray:
    """Split ``n`` items by ``shares`` with the largest-remainder method."""
    raw = np.asarray(shares, dtype=float) / float(np.sum(shares)) * n
    counts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: n - int(counts.sum())]] += 1
    return counts


def draw_customers(rng: np.random.Generator, n: int, n_days: int) -> Customers:
    """Draw ``n`` customers over a period of ``n_days`` trading days.

    Customers follow a mixture of behaviours (``SEGMENTS``) and a lifecycle:
    active until the end, churned long ago, or new near the end.
    """
    id_lo, id_hi = CUSTOMER_ID_RANGE
    cust_id = rng.choice(np.arange(id_lo, id_hi + 1), n, replace=False)
    countries = np.array(list(COUNTRY_SHARES), dtype=object)
    cust_country = rng.permutation(
        np.repeat(countries, exact_counts(list(COUNTRY_SHARES.values()), n))
    )
    seg_names = list(SEGMENTS)
    seg_counts = exact_counts([s[0] for s in SEGMENTS.values()], n)
    seg_counts[seg_names.index("wholesaler")] = max(
        1, seg_counts[seg_names.index("wholesaler")]
    )
    seg_counts[0] = n - seg_counts[1:].sum()
    segment = rng.permutation(np.repeat(np.arange(len(seg_names)), seg_counts))
    one_off, occasional, regular, loyal, wholesaler = (
        segment == i for i in range(len(seg_names))
    )
    n_invoices = np.ones(n, dtype=np.int64)
    n_invoices[occasional] = rng.integers(2, 4, occasional.sum())
    n_invoices[regular] = np.minimum(3 + rng.geometric(0.35, regular.sum()), 15)
    n_invoices[loyal] = np.minimum(8 + rng.geometric(0.12, loyal.sum()), 60)
    n_invoices[wholesaler] = np.minimum(8 + rng.geometric(0.08, wholesaler.sum()), 80)
    mu = np.array([s[1] for s in SEGMENTS.values()])[segment]
    sigma = np.array([s[2] for s in SEGMENTS.values()])[segment]
    basket_scale = np.exp(rng.normal(mu, sigma))

    # Lifecycle: active until the end, churned long ago, or new near the end.
    life = rng.choice(3, n, p=[0.62, 0.27, 0.11])  # 0 active, 1 churned, 2 new
    life[wholesaler] = 0
    first = (rng.random(n) * 0.8 * n_days).astype(np.int64)
    last = np.full(n, n_days - 1, dtype=np.int64)
    churn_gap = min(n_days // 3, 200)
    churned = life == 1
    last[churned] = (
        0.1 * n_days + rng.random(churned.sum()) * (n_days - churn_gap - 0.1 * n_days)
    ).astype(np.int64)
    first[churned] = (rng.random(churned.sum()) * last[churned]).astype(np.int64)
    new = life == 2
    first[new] = n_days - 1 - rng.integers(0, min(60, n_days // 4), new.sum())
    first[wholesaler] = (rng.random(wholesaler.sum()) * 0.2 * n_days).astype(np.int64)
    return Customers(
        id=cust_id,
        country=cust_country,
        one_off=one_off,
        wholesaler=wholesaler,
        n_invoices=n_invoices,
        basket_scale=basket_scale,
        first=first,
        last=last,
    )


def draw_purchases(
    rng: np.random.Generator, customers: Customers, cdf: np.ndarray
) -> Purchases:
    """Draw the purchase invoices of every customer: day, minute, line count.

    One UK one-off customer's only invoice becomes the huge order (one line),
    cancelled minutes later by a later stage.
    """
    n = len(customers.id)
    cust_country, wholesaler = customers.country, customers.wholesaler
    one_off, first, last = customers.one_off, customers.first, customers.last
    inv_cust = np.repeat(np.arange(n), customers.n_invoices)
    n_cust_inv = len(inv_cust)
    cust_inv_day = draw_days(rng, cdf, first[inv_cust], last[inv_cust])
    cust_inv_min = draw_minutes(rng, n_cust_inv)
    big = wholesaler[inv_cust]
    cust_lines = np.clip(
        np.rint(np.exp(rng.normal(np.where(big, np.log(6.0), np.log(2.4)), 0.8))),
        1,
        MAX_LINES,
    ).astype(np.int64)
    foreign = cust_country[inv_cust] != "United Kingdom"
    has_post = foreign & (rng.random(n_cust_inv) < 0.7)
    has_manual = ~has_post & (rng.random(n_cust_inv) < 0.004)
    extra = has_post | has_manual
    cust_lines = np.where(extra, np.maximum(cust_lines, 2), cust_lines)
    # The huge order: the only invoice of one UK one-off customer, one line.
    uk_one_off = np.flatnonzero(one_off & (cust_country == "United Kingdom"))
    huge_cust = (
        int(uk_one_off[0]) if len(uk_one_off) else int(np.flatnonzero(one_off)[0])
    )
    huge_inv = int(np.flatnonzero(inv_cust == huge_cust)[0])
    cust_lines[huge_inv] = 1
    extra[huge_inv] = has_post[huge_inv] = has_manual[huge_inv] = False
    return Purchases(
        customer=inv_cust,
        day=cust_inv_day,
        minute=cust_inv_min,
        lines=cust_lines,
        has_post=has_post,
        extra=extra,
        huge=huge_inv,
    )
