"""Stage 5: the invoices that correct sales.

Cancellations (``C`` invoices of earlier purchases, the huge order's minutes
later), stock adjustments and free guest lines (single-line invoices), and
the "Adjust bad debt" lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.sample_data.customers import Purchases
from tools.sample_data.days import draw_days, draw_minutes
from tools.sample_data.parameters import (
    ADJUSTMENT_NOTES,
    ADJUSTMENT_SHARE,
    CANCELLATION_SHARE,
    FREE_GUEST_LINE_SHARE,
)
from tools.sample_data.sales import Sales


@dataclass
class Cancellations:
    """One entry per cancellation invoice (``source``: the purchase it
    cancels) and, per cancelled line, the sale line it copies, its
    cancellation invoice and the quantity returned."""

    source: np.ndarray
    day: np.ndarray
    minute: np.ndarray
    source_line: np.ndarray
    invoice_of_line: np.ndarray
    qty: np.ndarray


@dataclass
class SingleLines:
    """Single-line invoices: stock adjustments, then free guest lines."""

    product: np.ndarray
    desc: np.ndarray
    qty: np.ndarray
    day: np.ndarray
    minute: np.ndarray


@dataclass
class BadDebt:
    """The three "Adjust bad debt" lines, one invoice each."""

    day: np.ndarray
    minute: np.ndarray
    price: np.ndarray


def draw_cancellations(
    rng: np.random.Generator,
    purchases: Purchases,
    sales: Sales,
    n_days: int,
    total_est: float,
) -> Cancellations:
    """Cancel the first lines of some purchases, and the whole huge order."""
    huge_inv, cust_lines = purchases.huge, purchases.lines
    cust_inv_day, cust_inv_min = purchases.day, purchases.minute
    n_cust_inv = len(cust_lines)
    sale, protected, huge_line = sales.lines, sales.protected, sales.huge_line
    n_sale_inv = len(sales.lines_per_invoice)
    target_cancel = max(1, int(round(CANCELLATION_SHARE * total_est))) - 1
    cand = rng.permutation(np.flatnonzero(np.arange(n_cust_inv) != huge_inv))
    whole = rng.random(len(cand)) < 0.12
    size = np.where(
        whole,
        cust_lines[cand],
        np.minimum(cust_lines[cand], rng.geometric(0.55, len(cand))),
    )
    k = int(np.searchsorted(np.cumsum(size), target_cancel)) + 1
    cand, size = cand[:k], size[:k]
    # The cancelled lines: the first ``size`` lines of each chosen invoice.
    sel = np.isin(sale["inv"], cand) & ~protected
    size_of = np.zeros(n_sale_inv, dtype=np.int64)
    size_of[cand] = size
    sel &= sale["pos"] < size_of[sale["inv"]]
    c_src = np.flatnonzero(sel)
    c_src = np.append(c_src, huge_line)
    src_inv = np.append(cand, huge_inv)
    delay_days = np.where(
        rng.random(len(src_inv)) < 0.35, 0, rng.integers(1, 45, len(src_inv))
    )
    delay_days[-1] = 0
    c_day = cust_inv_day[src_inv] + delay_days
    late = c_day > n_days - 1
    c_day[late] = cust_inv_day[src_inv][late]
    same_day = c_day == cust_inv_day[src_inv]
    c_min = np.where(
        same_day,
        np.minimum(cust_inv_min[src_inv] + rng.integers(1, 181, len(src_inv)), 1439),
        draw_minutes(rng, len(src_inv)),
    )
    c_min[-1] = cust_inv_min[huge_inv] + int(rng.integers(2, 15))
    c_inv_of_src = np.full(n_sale_inv, -1, dtype=np.int64)
    c_inv_of_src[src_inv] = np.arange(len(src_inv))
    c_line_inv = c_inv_of_src[sale["inv"][c_src]]
    full_qty = sale["qty"][c_src]
    partial = (rng.random(len(c_src)) < 0.2) & (full_qty > 1)
    c_qty = np.where(partial, rng.integers(1, np.maximum(full_qty, 2)), full_qty)
    c_qty[-1] = full_qty[-1]
    return Cancellations(
        source=src_inv,
        day=c_day,
        minute=c_min,
        source_line=c_src,
        invoice_of_line=c_line_inv,
        qty=c_qty,
    )


def draw_single_lines(
    rng: np.random.Generator, products: pd.DataFrame, cdf: np.ndarray, total_est: float
) -> SingleLines:
    """Stock adjustments (negative quantity) and free guest lines (price 0)."""
    n_days = len(cdf)
    n_adj = max(1, int(round(ADJUSTMENT_SHARE * total_est)))
    n_free_guest = max(1, int(round(FREE_GUEST_LINE_SHARE * total_est)))
    n_single = n_adj + n_free_guest
    s_prod = rng.choice(
        len(products), n_single, p=products["weight"] / products["weight"].sum()
    )
    notes, note_p = zip(*ADJUSTMENT_NOTES, strict=True)
    s_desc = np.array(
        list(rng.choice(np.array(notes, dtype=object), n_adj, p=note_p))
        + [""] * n_free_guest,
        dtype=object,
    )
    s_qty = np.concatenate(
        [
            -rng.choice([1, 1, 2, 3, 4, 6, 10, 12, 24, 48, 100, 200], n_adj),
            rng.choice([1, 1, 1, 2, 5, 12, 56], n_free_guest),
        ]
    )
    s_day = draw_days(
        rng, cdf, np.zeros(n_single, np.int64), np.full(n_single, n_days - 1)
    )
    s_min = draw_minutes(rng, n_single)
    return SingleLines(product=s_prod, desc=s_desc, qty=s_qty, day=s_day, minute=s_min)


def draw_bad_debt(rng: np.random.Generator, n_days: int) -> BadDebt:
    """Three lines on one day, two of them with a negative price."""
    bd_day = np.full(3, int(rng.integers(n_days // 3, n_days)))
    bd_min = 14 * 60 + int(rng.integers(0, 50)) + np.arange(3)
    amount = round(float(rng.uniform(4000, 15000)), 2)
    bd_price = np.array([amount, -amount, -amount])
    return BadDebt(day=bd_day, minute=bd_min, price=bd_price)
