"""Stage 6: number every invoice in time order and assemble the lines.

Exact duplicate lines are added here, right after their original, and the
result takes the UCI file's columns and value types.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.sample_data.corrections import BadDebt, Cancellations, SingleLines
from tools.sample_data.customers import Customers, Purchases
from tools.sample_data.guests import Guests
from tools.sample_data.parameters import (
    ADJUST,
    BAD_DEBT,
    CANCEL,
    COLUMNS,
    DUPLICATE_SHARE,
    FIRST_INVOICE_NUMBER,
    GUEST,
    MAX_LINES,
    PURCHASE,
)
from tools.sample_data.sales import Sales


@dataclass
class Headers:
    """One entry per invoice, in stage order: purchases, guests,
    cancellations, single lines, bad debt (``customer`` -1 for none;
    ``rank`` the invoice's place in time order)."""

    day: np.ndarray
    minute: np.ndarray
    customer: np.ndarray
    country: np.ndarray
    rank: np.ndarray
    invoice_no: np.ndarray


def number_invoices(
    rng: np.random.Generator,
    customers: Customers,
    purchases: Purchases,
    guests: Guests,
    cancellations: Cancellations,
    singles: SingleLines,
    bad_debt: BadDebt,
) -> Headers:
    """Number the invoices in time order, with small gaps between numbers."""
    cust_country, inv_cust = customers.country, purchases.customer
    n_cust_inv, n_guest_inv = len(inv_cust), len(guests.lines)
    src_inv, n_single = cancellations.source, len(singles.product)
    cust_inv_day, guest_day = purchases.day, guests.day
    c_day, s_day, bd_day = cancellations.day, singles.day, bad_debt.day
    cust_inv_min, guest_min = purchases.minute, guests.minute
    c_min, s_min, bd_min = cancellations.minute, singles.minute, bad_debt.minute
    guest_country = guests.country
    kind = np.concatenate(
        [
            np.full(n_cust_inv, PURCHASE),
            np.full(n_guest_inv, GUEST),
            np.full(len(src_inv), CANCEL),
            np.full(n_single, ADJUST),
            np.full(3, BAD_DEBT),
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
    prefix = np.select([kind == CANCEL, kind == BAD_DEBT], ["C", "A"], "")
    invoice_no = np.char.add(prefix, number_by_rank[rank].astype(str)).astype(object)
    return Headers(
        day=inv_day,
        minute=inv_min,
        customer=cust_of_inv,
        country=country_of_inv,
        rank=rank,
        invoice_no=invoice_no,
    )


def assemble_lines(
    rng: np.random.Generator,
    days: pd.DatetimeIndex,
    products: pd.DataFrame,
    customers: Customers,
    headers: Headers,
    sales: Sales,
    cancellations: Cancellations,
    singles: SingleLines,
    bad_debt: BadDebt,
    total_est: float,
) -> pd.DataFrame:
    """Every invoice's lines plus exact duplicates, in the UCI layout."""
    p_code = products["code"].to_numpy(dtype=object)
    cust_id = customers.id
    sale, protected = sales.lines, sales.protected
    sale_lines, n_sale_inv = sales.lines_per_invoice, len(sales.lines_per_invoice)
    src_inv, c_src = cancellations.source, cancellations.source_line
    c_line_inv, c_qty = cancellations.invoice_of_line, cancellations.qty
    s_prod, s_desc, s_qty = singles.product, singles.desc, singles.qty
    n_single, bd_price = len(singles.product), bad_debt.price
    inv_day, inv_min, rank = headers.day, headers.minute, headers.rank
    cust_of_inv, country_of_inv = headers.customer, headers.country
    invoice_no = headers.invoice_no
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
    # No invoice may grow beyond MAX_LINES lines.
    n_dup = int(round(DUPLICATE_SHARE * total_est))
    pool = rng.permutation(np.flatnonzero(~protected))
    pool_inv = sale["inv"][pool]
    by_inv = np.argsort(pool_inv, kind="stable")
    sorted_inv = pool_inv[by_inv]
    group_start = np.searchsorted(sorted_inv, sorted_inv, side="left")
    nth_copy = np.empty(len(pool), dtype=np.int64)
    nth_copy[by_inv] = np.arange(len(pool)) - group_start
    fits = sale_lines[pool_inv] + nth_copy + 1 <= MAX_LINES
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
