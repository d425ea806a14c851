"""Stage 4: the lines of every customer and guest invoice.

Product lines, the huge order's one line, postage and manual lines, and the
free lines (price 0) inside customer invoices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.sample_data.catalogue import pick_products
from tools.sample_data.customers import Customers, Purchases
from tools.sample_data.guests import Guests
from tools.sample_data.parameters import FREE_LINE_SHARE, POSTAGE_PRICE


@dataclass
class Sales:
    """The lines of the sale invoices (customer invoices first, then guests').

    ``lines`` maps ``inv`` (sale invoice index), ``pos`` (line position),
    ``code``, ``desc``, ``qty`` and ``price`` to one array each;
    ``lines_per_invoice`` counts each invoice's lines; ``protected`` marks
    the lines no later quirk may touch (the huge order, free lines).
    """

    lines: dict[str, np.ndarray]
    lines_per_invoice: np.ndarray
    protected: np.ndarray
    huge_line: int


def draw_sale_lines(
    rng: np.random.Generator,
    products: pd.DataFrame,
    customers: Customers,
    purchases: Purchases,
    guests: Guests,
) -> Sales:
    """Draw the lines of every purchase and guest invoice."""
    p_code = products["code"].to_numpy(dtype=object)
    p_desc = products["description"].to_numpy(dtype=object)
    p_price = products["price"].to_numpy()
    p_pack = products["pack"].to_numpy()
    cust_country, basket_scale = customers.country, customers.basket_scale
    inv_cust, cust_lines = purchases.customer, purchases.lines
    extra, has_post, huge_inv = purchases.extra, purchases.has_post, purchases.huge
    n_cust_inv = len(inv_cust)
    guest_lines, has_dot = guests.lines, guests.has_dot
    n_guest_inv = len(guest_lines)
    total_est = guests.expected_lines

    sale_lines = np.concatenate([cust_lines, guest_lines])
    sale_extra = np.concatenate([extra, has_dot])
    n_sale_inv = len(sale_lines)
    product_lines = sale_lines - sale_extra
    prod = pick_products(rng, products["weight"].to_numpy(), product_lines)
    line_inv = np.repeat(np.arange(n_sale_inv), product_lines)
    line_pos = np.arange(len(prod)) - np.repeat(
        np.cumsum(product_lines) - product_lines, product_lines
    )
    guest_scale = np.exp(rng.normal(0.0, 0.3, n_guest_inv))
    scale = np.concatenate([basket_scale[inv_cust], guest_scale])[line_inv]
    multiple = rng.geometric(0.6, len(prod))
    qty = p_pack[prod] * np.maximum(1, np.rint(multiple * scale)).astype(np.int64)
    code = p_code[prod]
    desc = p_desc[prod]
    price = p_price[prod].copy()

    # Huge order: a cheap product, 70,000+ units.
    cheap = np.flatnonzero((p_price >= 1.0) & (p_price <= 2.1))
    huge_line = int(np.flatnonzero(line_inv == huge_inv)[0])
    huge_prod = int(cheap[np.argmax(products["weight"].to_numpy()[cheap])])
    prod[huge_line] = huge_prod
    code[huge_line] = p_code[huge_prod]
    desc[huge_line] = p_desc[huge_prod]
    price[huge_line] = p_price[huge_prod]
    qty[huge_line] = int(rng.integers(70_000, 82_000))

    # Non-product lines: POST (foreign customers), M (manual), DOT (guests).
    ex_inv = np.flatnonzero(sale_extra)
    ex_is_cust = ex_inv < n_cust_inv
    ex_country = np.where(
        ex_is_cust,
        cust_country[inv_cust[np.minimum(ex_inv, n_cust_inv - 1)]],
        "United Kingdom",
    )
    ex_kind = np.where(
        ~ex_is_cust,
        "DOT",
        np.where(has_post[np.minimum(ex_inv, n_cust_inv - 1)], "POST", "M"),
    )
    ex_code = ex_kind.astype(object)
    ex_desc = np.select(
        [ex_kind == "POST", ex_kind == "M"], ["POSTAGE", "Manual"], "DOTCOM POSTAGE"
    ).astype(object)
    ex_qty = np.where(ex_kind == "POST", rng.choice([1, 1, 1, 2, 3], len(ex_inv)), 1)
    ex_price = np.select(
        [ex_kind == "POST", ex_kind == "M"],
        [
            np.array([POSTAGE_PRICE.get(c, 18.0) for c in ex_country]),
            np.round(np.exp(rng.normal(np.log(2.5), 0.9, len(ex_inv))), 2) + 0.01,
        ],
        np.round(np.exp(rng.normal(np.log(120.0), 0.6, len(ex_inv))), 2),
    )
    ex_pos = sale_lines[ex_inv] - 1

    sale = {
        "inv": np.concatenate([line_inv, ex_inv]),
        "pos": np.concatenate([line_pos, ex_pos]).astype(float),
        "code": np.concatenate([code, ex_code]),
        "desc": np.concatenate([desc, ex_desc]),
        "qty": np.concatenate([qty, ex_qty]).astype(np.int64),
        "price": np.concatenate([price, ex_price]),
    }
    n_sale = len(sale["inv"])
    sale_is_cust = sale["inv"] < n_cust_inv
    is_product = np.zeros(n_sale, dtype=bool)
    is_product[: len(prod)] = True
    protected = np.zeros(n_sale, dtype=bool)
    protected[huge_line] = True

    # Free lines (price 0) inside customer invoices.
    n_free = max(1, int(round(FREE_LINE_SHARE * total_est)))
    free_pool = np.flatnonzero(sale_is_cust & is_product & ~protected)
    free = rng.choice(free_pool, min(n_free, len(free_pool)), replace=False)
    sale["price"][free] = 0.0
    protected[free] = True
    return Sales(
        lines=sale,
        lines_per_invoice=sale_lines,
        protected=protected,
        huge_line=huge_line,
    )
