"""The floor: the project's work as bare DuckDB SQL + scikit-learn, no dbt.

    python bench/floor.py --input bench/data/lines_10000000.parquet \
        --db /tmp/floor.duckdb

Same rules as the project: drop lines without a customer, 'C' (cancelled)
invoices, quantity <= 0, price <= 0 and exact duplicates; per customer
recency, frequency, monetary (net of the customer's cancellations, floored
at 0) and average order value (as of the day after the last kept invoice);
cap each feature at its 1% / 99% quantiles, signed log1p, standardise;
K-Means k=4, n_init=10, random_state=42, fitted on a fixed-seed sample of
200,000 customers when there are more; then every customer is assigned to
the nearest centroid and the result is written to a DuckDB table.
Prints one JSON line with counts and stage timings.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import duckdb
import numpy as np
from sklearn.cluster import KMeans

FEATURES = ["recency_days", "frequency", "monetary", "avg_order_value"]

FEATURES_SQL = """
create or replace table customer_features as
with lines as (
    select distinct *
    from read_parquet($path)
    where CustomerID is not null
),
kept as (
    select * from lines
    where not upper(InvoiceNo) like 'C%'
      and Quantity > 0
      and UnitPrice > 0
),
returns as (
    select CustomerID as customer_id, sum(-Quantity * UnitPrice) as returned
    from lines
    where upper(InvoiceNo) like 'C%'
    group by 1
),
per_customer as (
    select
        CustomerID as customer_id,
        max(cast(InvoiceDate as date)) as last_order_date,
        count(distinct InvoiceNo) as frequency,
        round(sum(Quantity * UnitPrice), 2) as gross
    from kept
    group by 1
),
net as (
    select
        per_customer.*,
        greatest(round(gross - coalesce(returns.returned, 0), 2), 0) as monetary
    from per_customer
    left join returns using (customer_id)
)
select
    customer_id,
    date_diff('day', last_order_date, max(last_order_date) over () + 1)
        as recency_days,
    frequency,
    monetary,
    round(monetary / frequency, 2) as avg_order_value
from net
"""


def signed_log(column: str, lower: float, upper: float) -> str:
    capped = f"least(greatest({column}, {lower!r}), {upper!r})"
    return f"sign({capped}) * ln(1 + abs({capped}))"


def run(path: str, db: str, sample_size: int, seed: int) -> dict:
    timings = {}
    started = time.perf_counter()
    con = duckdb.connect(db)
    con.execute(FEATURES_SQL, {"path": path})
    timings["features_s"] = time.perf_counter() - started

    stage = time.perf_counter()
    caps = con.execute(
        "select "
        + ", ".join(
            f"quantile_cont({f}, 0.01), quantile_cont({f}, 0.99)" for f in FEATURES
        )
        + " from customer_features"
    ).fetchone()
    logged = [
        signed_log(f, caps[2 * i], caps[2 * i + 1]) for i, f in enumerate(FEATURES)
    ]
    moments = con.execute(
        "select "
        + ", ".join(f"avg({e}), stddev_pop({e})" for e in logged)
        + " from customer_features"
    ).fetchone()
    scaled = [
        f"coalesce(({e} - {moments[2 * i]!r}) / nullif({moments[2 * i + 1]!r}, 0), 0)"
        f" as {FEATURES[i]}"
        for i, e in enumerate(logged)
    ]
    con.execute(
        "create or replace table customer_standardised as select customer_id, "
        + ", ".join(scaled)
        + " from customer_features"
    )
    timings["standardise_s"] = time.perf_counter() - stage

    stage = time.perf_counter()
    # fixed-seed sample: the customers with the smallest hash of seed and id
    sample = con.execute(
        f"select {', '.join(FEATURES)} from customer_standardised "
        f"order by hash('{seed}-' || customer_id), customer_id limit {sample_size}"
    ).fetchnumpy()
    X_fit = np.column_stack([sample[f] for f in FEATURES]).astype(float)
    model = KMeans(n_clusters=4, n_init=10, random_state=seed).fit(X_fit)
    timings["fit_s"] = time.perf_counter() - stage

    stage = time.perf_counter()
    everyone = con.execute(
        f"select customer_id, {', '.join(FEATURES)} from customer_standardised"
    ).fetchnumpy()
    X = np.column_stack([everyone[f] for f in FEATURES]).astype(float)
    distances = ((X[:, None, :] - model.cluster_centers_[None, :, :]) ** 2).sum(axis=2)
    segments = {  # noqa: F841 - read by DuckDB's replacement scan below
        "customer_id": everyone["customer_id"],
        "segment_id": distances.argmin(axis=1) + 1,
    }
    con.execute("create or replace table customer_segments as select * from segments")
    sizes = con.execute(
        "select segment_id, count(*) from customer_segments group by 1 order by 1"
    ).fetchall()
    timings["assign_s"] = time.perf_counter() - stage
    con.close()
    return {
        "customers": int(len(X)),
        "fit_customers": int(len(X_fit)),
        "segment_sizes": [int(n) for _, n in sizes],
        "inertia": float(model.inertia_),
        **{k: round(v, 3) for k, v in timings.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True, help="Parquet file of lines")
    parser.add_argument("--db", default=":memory:", help="DuckDB file to write")
    parser.add_argument("--sample-size", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.input, args.db, args.sample_size, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
