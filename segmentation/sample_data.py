"""Deterministic synthetic sample of e-commerce transaction lines.

The project ships a small sample (``data/sample/transactions.csv.gz``) shaped
like the UCI "Online Retail" data: one row per invoice line, with the same
eight columns, value formats and quirks (guest lines without a customer,
cancellations, stock adjustments, free lines, "Adjust bad debt" lines,
exact duplicate lines, missing descriptions, descriptions with trailing
spaces and one huge order that is cancelled minutes later).

Every row is synthetic: the generator only borrows broad proportions from the
real data, never its rows. The same arguments always give the same frame and
a byte-identical gzip file.

Run it as ``python -m segmentation.sample_data --out data/sample/transactions.csv.gz``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "generate_transactions", "main", "to_csv_bytes", "write_sample"]

#: Output columns, in the UCI "Online Retail" order and spelling.
COLUMNS: tuple[str, ...] = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)

DEFAULT_SEED = 20261123
DEFAULT_CUSTOMERS = 3000
CUSTOMER_ID_RANGE = (12000, 18999)
FIRST_INVOICE_NUMBER = 489434

# Share of customers per country (exact counts, largest remainder).
COUNTRY_SHARES: dict[str, float] = {
    "United Kingdom": 0.875,
    "Germany": 0.030,
    "France": 0.027,
    "EIRE": 0.016,
    "Spain": 0.014,
    "Belgium": 0.014,
    "Netherlands": 0.012,
    "Switzerland": 0.012,
}
# Postage charged per line "POST" on invoices to each foreign country.
POSTAGE_PRICE: dict[str, float] = {
    "Germany": 18.0,
    "France": 18.0,
    "EIRE": 15.0,
    "Spain": 28.0,
    "Belgium": 18.0,
    "Netherlands": 18.0,
    "Switzerland": 40.0,
}

# Behaviour segments: share of customers, basket-scale lognormal (mu, sigma).
SEGMENTS: dict[str, tuple[float, float, float]] = {
    "one_off": (0.38, 0.0, 0.55),
    "occasional": (0.29, 0.0, 0.55),
    "regular": (0.25, 0.15, 0.5),
    "loyal": (0.065, 0.3, 0.5),
    "wholesaler": (0.015, 1.0, 0.8),
}

# Share of the final row count taken by each quirk.
MISSING_CUSTOMER_SHARE = 0.22
CANCELLATION_SHARE = 0.0175
DUPLICATE_SHARE = 0.01
ADJUSTMENT_SHARE = 0.0025
FREE_LINE_SHARE = 0.001
FREE_GUEST_LINE_SHARE = 0.0005

# Hours of day 7..20 (invoice start), shaped like the real shop's day.
HOUR_WEIGHTS = np.array(
    [0.7, 16.5, 63.5, 90.2, 106.0, 145.3, 133.7, 124.8, 143.9, 100.6, 52.2, 14.6]
    + [6.6, 1.5]
)

PRICE_POINTS = np.array(
    [0.19, 0.21, 0.29, 0.36, 0.39, 0.42, 0.55, 0.65, 0.72, 0.79, 0.83, 0.85]
    + [0.95, 1.25, 1.45, 1.65, 1.69, 1.85, 1.95, 2.10, 2.46, 2.55, 2.95, 3.25]
    + [3.75, 4.25, 4.95, 5.95, 6.75, 7.95, 8.50, 9.95, 12.75, 14.95]
)

# Words of the synthetic product names.
# fmt: off
_ADJECTIVES = (
    "VINTAGE", "RETRO", "WHITE", "HANGING", "DOTTY", "FLORAL", "ENAMEL", "KNITTED",
    "GLASS", "WOODEN", "CERAMIC", "PAPER", "ZINC", "CHROME", "LACE", "STRIPEY",
    "POLKADOT", "ANTIQUE", "RUSTIC", "SWEETHEART", "GARDEN", "CHRISTMAS", "REGENCY",
    "SCANDI", "FELTCRAFT", "WICKER", "TIN", "SPACEBOY", "WOODLAND", "PARISIENNE",
    "HOMESPUN", "ORIGAMI", "JUMBO", "MINI", "BAROQUE",
)
_COLOURS = (
    "RED", "PINK", "BLUE", "GREEN", "IVORY", "CREAM", "BLACK", "SILVER", "GOLD",
    "PURPLE", "ORANGE", "YELLOW", "TURQUOISE", "NATURAL",
)
_NOUNS = (
    "T-LIGHT HOLDER", "LANTERN", "COAT HANGER", "HOT WATER BOTTLE", "MUG",
    "TEA TOWEL", "LUNCH BOX", "JAM JAR", "DOORSTOP", "CAKE STAND", "PHOTO FRAME",
    "NOTEBOOK", "WALL CLOCK", "BUNTING", "CUSHION COVER", "SHOPPING BAG", "CANDLE",
    "PLACEMATS", "BAKING SET", "GIFT WRAP", "GREETING CARD", "DOORMAT",
    "JEWELLERY BOX", "PICNIC BASKET", "WATERING CAN", "STORAGE TIN", "PARTY CUPS",
    "NAPKINS", "EGG CUP", "TRINKET BOX", "KEY RING", "UMBRELLA", "BIRD ORNAMENT",
    "HEART DECORATION", "CHARM BRACELET", "BATH SPONGE", "DRINKS BOTTLE", "METAL SIGN",
)
# fmt: on
_PACK_PREFIXES = ("SET OF 3", "SET/6", "PACK OF 12", "SET OF 2")
_ADJUSTMENT_NOTES = (
    ("", 0.40),
    ("check", 0.15),
    ("damages", 0.10),
    ("damaged", 0.09),
    ("?", 0.07),
    ("thrown away", 0.06),
    ("wet damaged", 0.05),
    ("smashed", 0.04),
    ("sold as set on dotcom", 0.04),
)

# Invoice kinds (also the tie-break order of invoices at the same minute).
_PURCHASE, _GUEST, _CANCEL, _ADJUST, _BAD_DEBT = 0, 1, 2, 3, 4
_MAX_LINES = 30
_N_PRODUCTS = 400


def _exact_counts(shares: Sequence[float], n: int) -> np.ndarray:
    """Split ``n`` items by ``shares`` with the largest-remainder method."""
    raw = np.asarray(shares, dtype=float) / float(np.sum(shares)) * n
    counts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[: n - int(counts.sum())]] += 1
    return counts


def _trading_days(start: str, end: str) -> pd.DatetimeIndex:
    """Days the shop invoices: no Saturdays, closed 24 Dec to 3 Jan."""
    days = pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end), freq="D")
    closed = ((days.month == 12) & (days.day >= 24)) | (
        (days.month == 1) & (days.day <= 3)
    )
    return days[(days.day_of_week != 5) & ~closed]


def _day_cdf(days: pd.DatetimeIndex) -> np.ndarray:
    """Cumulative day weights: busier in autumn, slowly growing trade."""
    doy = days.day_of_year.to_numpy(dtype=float)
    season = 1.0 + 0.8 * np.exp(-(((doy - 318.0) / 35.0) ** 2))
    growth = np.linspace(1.0, 1.25, len(days))
    weights = season * growth
    return np.cumsum(weights) / weights.sum()


def _draw_days(
    rng: np.random.Generator, cdf: np.ndarray, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Draw one weighted trading-day index in ``[first, last]`` per element."""
    lo = np.where(first > 0, cdf[np.maximum(first - 1, 0)], 0.0)
    hi = cdf[last]
    target = lo + rng.random(len(first)) * (hi - lo)
    day = np.searchsorted(cdf, target, side="right")
    return np.clip(day, first, last)


def _draw_minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Minute of day for ``n`` invoices, following the shop's opening hours."""
    hours = 7 + rng.choice(len(HOUR_WEIGHTS), n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    return hours * 60 + rng.integers(0, 60, n)


def _catalogue(rng: np.random.Generator) -> pd.DataFrame:
    """Build the product catalogue: code, description, price, pack, weight."""
    bases = rng.choice(np.arange(20600, 90300), _N_PRODUCTS, replace=False)
    codes: list[str] = []
    descriptions: list[str] = []
    seen: set[str] = set()
    for base in bases:
        if len(codes) >= _N_PRODUCTS:
            break
        n_variants = int(rng.choice([1, 1, 1, 1, 2, 3, 4]))
        adjective = str(rng.choice(_ADJECTIVES))
        noun = str(rng.choice(_NOUNS))
        prefix = str(rng.choice(_PACK_PREFIXES)) if rng.random() < 0.12 else ""
        colours = rng.choice(_COLOURS, n_variants, replace=False)
        with_suffix = n_variants > 1 or rng.random() < 0.1
        first_letter = int(rng.integers(0, 4))
        for j, colour in enumerate(colours):
            words = [prefix, adjective, str(colour) if with_suffix else "", noun]
            text = " ".join(w for w in words if w)
            if text in seen or len(codes) >= _N_PRODUCTS:
                continue
            seen.add(text)
            suffix = "ABCDEFGH"[first_letter + j] if with_suffix else ""
            codes.append(f"{base:05d}{suffix}")
            descriptions.append(text)
    n = len(codes)
    # A few descriptions that need CSV quoting, and a few with trailing spaces.
    picks = rng.choice(n, 14, replace=False)
    for i in picks[:3]:
        descriptions[i] = f"{descriptions[i]}, ASSORTED"
    for i in picks[3:5]:
        descriptions[i] = f'{descriptions[i]} "HOME SWEET HOME"'
    for i in picks[5:]:
        descriptions[i] = descriptions[i] + " "
    log_price = rng.normal(np.log(2.0), 0.8, n)
    snapped = np.abs(np.log(PRICE_POINTS)[None, :] - log_price[:, None]).argmin(1)
    price = PRICE_POINTS[snapped]
    price[rng.choice(n, 2, replace=False)] = [PRICE_POINTS[0], PRICE_POINTS[-1]]
    pack = np.select(
        [price < 0.6, price < 1.5, price < 3.0, price < 6.0],
        [
            rng.choice([12, 24, 25], n),
            rng.choice([6, 10, 12], n),
            rng.choice([2, 3, 4, 6], n),
            rng.choice([1, 2, 3], n),
        ],
        default=1,
    )
    weight = 1.0 / np.arange(1, n + 1) ** 0.9
    return pd.DataFrame(
        {
            "code": codes,
            "description": descriptions,
            "price": price,
            "pack": pack,
            "weight": rng.permutation(weight),
        }
    )


def _pick_products(
    rng: np.random.Generator, weight: np.ndarray, n_lines: np.ndarray
) -> np.ndarray:
    """Weighted sample without replacement of ``n_lines[i]`` products each."""
    out = []
    logw = np.log(weight)
    chunk = 4096
    for lo in range(0, len(n_lines), chunk):
        counts = n_lines[lo : lo + chunk]
        keys = logw[None, :] + rng.gumbel(size=(len(counts), len(weight)))
        top = np.argpartition(-keys, _MAX_LINES, axis=1)[:, :_MAX_LINES]
        order = np.argsort(-np.take_along_axis(keys, top, 1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, 1)
        out.append(top[np.arange(_MAX_LINES)[None, :] < counts[:, None]])
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def generate_transactions(
    n_customers: int = DEFAULT_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    start: str = "2009-12-01",
    end: str = "2011-11-30",
) -> pd.DataFrame:
    """Generate synthetic invoice lines shaped like UCI "Online Retail".

    Customers follow a mixture of behaviours (one-off buyers, occasional and
    regular repeat buyers, loyal buyers and a few wholesalers with very large
    baskets), with churned customers whose last purchase is long ago and new
    customers who first bought near ``end``. The lines carry the real data's
    quirks in similar proportions: about 22% guest lines without a customer,
    about 1.75% cancellation lines (``C`` invoices referencing an earlier
    purchase of the same customer), stock adjustments with negative quantity,
    free lines at price 0, "Adjust bad debt" lines with negative price,
    about 1% exact duplicate lines, a few missing descriptions and one huge
    order cancelled minutes later.

    Parameters
    ----------
    n_customers : int, default 3000
        Number of distinct customers, 10 to 7000 (ids are drawn from
        12000-18999).
    seed : int, default 20261123
        Seed of the random generator; the same arguments give the same frame.
    start, end : str, default "2009-12-01", "2011-11-30"
        First and last day (inclusive) of the invoicing period.

    Returns
    -------
    pandas.DataFrame
        One row per invoice line with columns ``InvoiceNo`` (str),
        ``StockCode`` (str), ``Description`` (str, missing as NA),
        ``Quantity`` (int64), ``InvoiceDate`` (datetime64, whole minutes),
        ``UnitPrice`` (float64, 2 decimals), ``CustomerID`` (float64, NaN
        for guests, like the UCI file read by pandas) and ``Country`` (str),
        ordered by invoice number then line.

    Raises
    ------
    ValueError
        If ``n_customers`` is out of range or ``end`` is not after ``start``.

    Examples
    --------
    >>> df = generate_transactions(n_customers=50, seed=1)
    >>> list(df.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate',
     'UnitPrice', 'CustomerID', 'Country']
    >>> int(df["CustomerID"].nunique())
    50
    >>> df.equals(generate_transactions(n_customers=50, seed=1))
    True
    """
    id_lo, id_hi = CUSTOMER_ID_RANGE
    if not 10 <= n_customers <= id_hi - id_lo + 1:
        raise ValueError(
            f"n_customers must be between 10 and {id_hi - id_lo + 1}, got {n_customers}"
        )
    days = _trading_days(start, end)
    if len(days) < 60:
        raise ValueError(f"period {start}..{end} must span at least 60 trading days")
    rng = np.random.default_rng(seed)
    n_days = len(days)
    cdf = _day_cdf(days)
    products = _catalogue(rng)
    p_code = products["code"].to_numpy(dtype=object)
    p_desc = products["description"].to_numpy(dtype=object)
    p_price = products["price"].to_numpy()
    p_pack = products["pack"].to_numpy()

    # ---- customers ------------------------------------------------------
    n = n_customers
    cust_id = rng.choice(np.arange(id_lo, id_hi + 1), n, replace=False)
    countries = np.array(list(COUNTRY_SHARES), dtype=object)
    cust_country = rng.permutation(
        np.repeat(countries, _exact_counts(list(COUNTRY_SHARES.values()), n))
    )
    seg_names = list(SEGMENTS)
    seg_counts = _exact_counts([s[0] for s in SEGMENTS.values()], n)
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

    # ---- customer purchase invoices ---------------------------------------
    inv_cust = np.repeat(np.arange(n), n_invoices)
    n_cust_inv = len(inv_cust)
    cust_inv_day = _draw_days(rng, cdf, first[inv_cust], last[inv_cust])
    cust_inv_min = _draw_minutes(rng, n_cust_inv)
    big = wholesaler[inv_cust]
    cust_lines = np.clip(
        np.rint(np.exp(rng.normal(np.where(big, np.log(6.0), np.log(2.4)), 0.8))),
        1,
        _MAX_LINES,
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

    # ---- guest invoices (no customer) -------------------------------------
    purchase_lines = int(cust_lines.sum())
    quirk_share = CANCELLATION_SHARE + DUPLICATE_SHARE + ADJUSTMENT_SHARE
    quirk_share += FREE_GUEST_LINE_SHARE
    guest_share = MISSING_CUSTOMER_SHARE * (1 - DUPLICATE_SHARE)
    guest_share -= ADJUSTMENT_SHARE + FREE_GUEST_LINE_SHARE
    total_est = purchase_lines / (1 - quirk_share - guest_share)
    guest_target = max(1, int(round(guest_share * total_est)))
    guest_pool = np.clip(
        np.rint(np.exp(rng.normal(np.log(6.0), 0.8, guest_target))), 1, _MAX_LINES
    ).astype(np.int64)
    n_guest_inv = int(np.searchsorted(np.cumsum(guest_pool), guest_target)) + 1
    guest_lines = guest_pool[:n_guest_inv]
    guest_country = rng.choice(
        countries,
        n_guest_inv,
        p=[0.93] + [0.07 / (len(countries) - 1)] * (len(countries) - 1),
    )
    guest_day = _draw_days(
        rng, cdf, np.zeros(n_guest_inv, np.int64), np.full(n_guest_inv, n_days - 1)
    )
    guest_min = _draw_minutes(rng, n_guest_inv)
    has_dot = (guest_lines >= 4) & (rng.random(n_guest_inv) < 0.1)
    total_est = (purchase_lines + guest_lines.sum()) / (1 - quirk_share)

    # ---- product lines of customer and guest invoices ----------------------
    sale_lines = np.concatenate([cust_lines, guest_lines])
    sale_extra = np.concatenate([extra, has_dot])
    n_sale_inv = len(sale_lines)
    product_lines = sale_lines - sale_extra
    prod = _pick_products(rng, products["weight"].to_numpy(), product_lines)
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

    # ---- cancellations ----------------------------------------------------
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
        _draw_minutes(rng, len(src_inv)),
    )
    c_min[-1] = cust_inv_min[huge_inv] + int(rng.integers(2, 15))
    c_inv_of_src = np.full(n_sale_inv, -1, dtype=np.int64)
    c_inv_of_src[src_inv] = np.arange(len(src_inv))
    c_line_inv = c_inv_of_src[sale["inv"][c_src]]
    full_qty = sale["qty"][c_src]
    partial = (rng.random(len(c_src)) < 0.2) & (full_qty > 1)
    c_qty = np.where(partial, rng.integers(1, np.maximum(full_qty, 2)), full_qty)
    c_qty[-1] = full_qty[-1]

    # ---- stock adjustments and free guest lines (single-line invoices) -----
    n_adj = max(1, int(round(ADJUSTMENT_SHARE * total_est)))
    n_free_guest = max(1, int(round(FREE_GUEST_LINE_SHARE * total_est)))
    n_single = n_adj + n_free_guest
    s_prod = rng.choice(
        len(products), n_single, p=products["weight"] / products["weight"].sum()
    )
    notes, note_p = zip(*_ADJUSTMENT_NOTES, strict=True)
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
    s_day = _draw_days(
        rng, cdf, np.zeros(n_single, np.int64), np.full(n_single, n_days - 1)
    )
    s_min = _draw_minutes(rng, n_single)

    # ---- "Adjust bad debt": three lines, two with negative price ----------
    bd_day = np.full(3, int(rng.integers(n_days // 3, n_days)))
    bd_min = 14 * 60 + int(rng.integers(0, 50)) + np.arange(3)
    amount = round(float(rng.uniform(4000, 15000)), 2)
    bd_price = np.array([amount, -amount, -amount])

    # ---- invoice headers, numbered in time order ----------------------------
    kind = np.concatenate(
        [
            np.full(n_cust_inv, _PURCHASE),
            np.full(n_guest_inv, _GUEST),
            np.full(len(src_inv), _CANCEL),
            np.full(n_single, _ADJUST),
            np.full(3, _BAD_DEBT),
        ]
    )
    inv_day = np.concatenate([cust_inv_day, guest_day, c_day, s_day, bd_day])
    inv_min = np.concatenate([cust_inv_min, guest_min, c_min, s_min, bd_min])
    cust_of_inv = np.concatenate(
        [
            inv_cust,
            np.full(n_guest_inv, -1),
            inv_cust[src_inv],
            np.full(n_single + 3, -1),
        ]
    )
    country_of_inv = np.concatenate(
        [
            cust_country[inv_cust],
            guest_country,
            cust_country[inv_cust[src_inv]],
            np.full(n_single + 3, "United Kingdom", dtype=object),
        ]
    )
    order = np.lexsort((np.arange(len(kind)), kind, inv_min, inv_day))
    rank = np.empty(len(kind), dtype=np.int64)
    rank[order] = np.arange(len(kind))
    gaps = 1 + rng.poisson(0.6, len(kind))
    gaps[0] = 0
    number_by_rank = FIRST_INVOICE_NUMBER + np.cumsum(gaps)
    prefix = np.select([kind == _CANCEL, kind == _BAD_DEBT], ["C", "A"], "")
    invoice_no = np.char.add(prefix, number_by_rank[rank].astype(str)).astype(object)

    # ---- assemble lines -----------------------------------------------------
    c_base = n_sale_inv
    s_base = c_base + len(src_inv)
    bd_base = s_base + n_single
    lines_inv = np.concatenate(
        [
            sale["inv"],
            c_base + c_line_inv,
            s_base + np.arange(n_single),
            bd_base + np.arange(3),
        ]
    )
    lines = pd.DataFrame(
        {
            "inv": lines_inv,
            "pos": np.concatenate(
                [sale["pos"], sale["pos"][c_src], np.zeros(n_single + 3)]
            ),
            "StockCode": np.concatenate(
                [sale["code"], sale["code"][c_src], p_code[s_prod], ["B"] * 3]
            ),
            "Description": np.concatenate(
                [
                    sale["desc"],
                    sale["desc"][c_src],
                    s_desc,
                    ["Adjust bad debt"] * 3,
                ]
            ),
            "Quantity": np.concatenate([sale["qty"], -c_qty, s_qty, np.ones(3)]).astype(
                np.int64
            ),
            "UnitPrice": np.concatenate(
                [sale["price"], sale["price"][c_src], np.zeros(n_single), bd_price]
            ),
        }
    )
    # Exact duplicates: copies of sale lines, placed right after the original.
    # No invoice may grow beyond _MAX_LINES lines.
    n_dup = int(round(DUPLICATE_SHARE * total_est))
    pool = rng.permutation(np.flatnonzero(~protected))
    pool_inv = sale["inv"][pool]
    by_inv = np.argsort(pool_inv, kind="stable")
    sorted_inv = pool_inv[by_inv]
    group_start = np.searchsorted(sorted_inv, sorted_inv, side="left")
    nth_copy = np.empty(len(pool), dtype=np.int64)
    nth_copy[by_inv] = np.arange(len(pool)) - group_start
    fits = sale_lines[pool_inv] + nth_copy + 1 <= _MAX_LINES
    dup = lines.iloc[pool[fits][:n_dup]]
    dup = dup.assign(pos=dup["pos"] + 0.5)
    lines = pd.concat([lines, dup], ignore_index=True)
    lines["rank"] = rank[lines["inv"].to_numpy()]
    lines = lines.sort_values(["rank", "pos"], kind="stable", ignore_index=True)

    inv = lines["inv"].to_numpy()
    day_values = days.to_numpy().astype("datetime64[D]")[inv_day[inv]]
    invoice_date = day_values.astype("datetime64[s]") + inv_min[inv].astype(
        "timedelta64[m]"
    )
    customer = cust_of_inv[inv]
    out = pd.DataFrame(
        {
            "InvoiceNo": pd.array(invoice_no[inv], dtype="str"),
            "StockCode": pd.array(
                lines["StockCode"].to_numpy(dtype=object), dtype="str"
            ),
            "Description": pd.array(
                np.where(
                    lines["Description"].to_numpy(dtype=object) == "",
                    None,
                    lines["Description"].to_numpy(dtype=object),
                ),
                dtype="str",
            ),
            "Quantity": lines["Quantity"].to_numpy(dtype=np.int64),
            "InvoiceDate": pd.to_datetime(invoice_date).as_unit("ns"),
            "UnitPrice": np.round(lines["UnitPrice"].to_numpy(dtype=float), 2),
            "CustomerID": np.where(
                customer >= 0, cust_id[np.maximum(customer, 0)], np.nan
            ).astype(float),
            "Country": pd.array(country_of_inv[inv], dtype="str"),
        }
    )
    return out.loc[:, list(COLUMNS)]


def _format_price(value: float) -> str:
    """Shortest text of a price rounded to cents (``2.1``, ``0.0``, ``-11.5``)."""
    return repr(round(float(value), 2) + 0.0)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Render transaction lines as UTF-8 CSV text in the UCI file layout.

    Parameters
    ----------
    df : pandas.DataFrame
        Lines with the columns of :data:`COLUMNS`, as returned by
        :func:`generate_transactions`.

    Returns
    -------
    bytes
        Header row and one row per line, ``\\n`` line ends, RFC 4180 quoting,
        ``InvoiceDate`` as ``YYYY-MM-DD HH:MM:SS``, ``CustomerID`` as a whole
        number (empty when missing) and ``UnitPrice`` with at most 2 decimals.

    Examples
    --------
    >>> df = generate_transactions(n_customers=10, seed=7)
    >>> to_csv_bytes(df).split(b"\\n")[0].decode()
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
    """
    customer = df["CustomerID"]
    text = pd.DataFrame(
        {
            "InvoiceNo": df["InvoiceNo"].astype(str),
            "StockCode": df["StockCode"].astype(str),
            "Description": df["Description"].fillna("").astype(str),
            "Quantity": df["Quantity"].astype(np.int64).astype(str),
            "InvoiceDate": pd.to_datetime(df["InvoiceDate"]).dt.strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "UnitPrice": [_format_price(v) for v in df["UnitPrice"].to_numpy()],
            "CustomerID": [
                "" if pd.isna(v) else str(int(v)) for v in customer.to_numpy()
            ],
            "Country": df["Country"].astype(str),
        },
        columns=list(COLUMNS),
    )
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(text.itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8")


def write_sample(path: str | Path, **kwargs: object) -> pd.DataFrame:
    """Generate the sample and write it as a deterministic gzip CSV file.

    The gzip header carries no file name and a zero modification time, so
    the same arguments always give a byte-identical file.

    Parameters
    ----------
    path : str or pathlib.Path
        Output file (normally ``data/sample/transactions.csv.gz``); parent
        folders are created.
    **kwargs
        Passed to :func:`generate_transactions` (``n_customers``, ``seed``,
        ``start``, ``end``).

    Returns
    -------
    pandas.DataFrame
        The lines written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = Path(tmp) / "t.csv.gz"
    ...     df = write_sample(out, n_customers=10, seed=7)
    ...     raw = out.read_bytes()
    >>> raw[:2], raw[4:8]  # gzip magic, zero mtime
    (b'\\x1f\\x8b', b'\\x00\\x00\\x00\\x00')
    """
    df = generate_transactions(**kwargs)  # type: ignore[arg-type]
    compressed = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=compressed, mtime=0, compresslevel=9
    ) as gz:
        gz.write(to_csv_bytes(df))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(compressed.getvalue())
    return df


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the bundled sample and print a one-line summary.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``): ``--out PATH`` and optionally
        ``--customers N`` and ``--seed S``.

    Returns
    -------
    int
        Exit status, 0 on success.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     main(["--out", f"{tmp}/t.csv.gz", "--customers", "10"])
    ... # doctest: +ELLIPSIS
    wrote .../t.csv.gz: ... rows, 10 customers, ... bytes
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m segmentation.sample_data",
        description="Write the synthetic sample of transaction lines (gzip CSV).",
    )
    parser.add_argument("--out", required=True, type=Path, help="output .csv.gz")
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    df = write_sample(args.out, n_customers=args.customers, seed=args.seed)
    print(
        f"wrote {args.out}: {len(df)} rows, "
        f"{df['CustomerID'].nunique()} customers, {args.out.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
