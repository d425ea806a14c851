"""The generator: validate the arguments, then run the stages in order.

Every stage draws from the one random generator, so the order of the calls
below is part of the output: changing it changes every row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.sample_data.assemble import assemble_lines, number_invoices
from tools.sample_data.catalogue import catalogue
from tools.sample_data.corrections import (
    draw_bad_debt,
    draw_cancellations,
    draw_single_lines,
)
from tools.sample_data.customers import draw_customers, draw_purchases
from tools.sample_data.days import day_cdf, trading_days
from tools.sample_data.guests import draw_guests
from tools.sample_data.parameters import (
    CUSTOMER_ID_RANGE,
    DEFAULT_CUSTOMERS,
    DEFAULT_SEED,
)
from tools.sample_data.sales import draw_sale_lines


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
    days = trading_days(start, end)
    if len(days) < 60:
        raise ValueError(f"period {start}..{end} must span at least 60 trading days")
    rng = np.random.default_rng(seed)
    n_days = len(days)
    cdf = day_cdf(days)
    products = catalogue(rng)
    customers = draw_customers(rng, n_customers, n_days)
    purchases = draw_purchases(rng, customers, cdf)
    guests = draw_guests(rng, purchases, cdf)
    total_est = guests.expected_lines
    sales = draw_sale_lines(rng, products, customers, purchases, guests)
    cancellations = draw_cancellations(rng, purchases, sales, n_days, total_est)
    singles = draw_single_lines(rng, products, cdf, total_est)
    bad_debt = draw_bad_debt(rng, n_days)
    headers = number_invoices(
        rng, customers, purchases, guests, cancellations, singles, bad_debt
    )
    return assemble_lines(
        rng,
        days,
        products,
        customers,
        headers,
        sales,
        cancellations,
        singles,
        bad_debt,
        total_est,
    )
