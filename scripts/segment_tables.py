"""Print the README's tables of a built database: segments, names, the k rule.

Reads only the marts, as a BI tool would. The README's "What the real data
gives" is this script's output on a build of the UCI data::

    .venv/bin/dbt build --vars \
        '{transactions_path: ../shared/data/online_retail.csv.gz}'
    .venv/bin/python -m scripts.segment_tables --db segmentation.duckdb \
        --migration-to 2011-12-01
"""

from __future__ import annotations

import argparse

import duckdb
import pandas as pd


def money(value: float, symbol: str = "£") -> str:
    """Whole currency units with thousands separators, e.g. £3,320."""
    return f"{symbol}{value:,.0f}"


def markdown(frame: pd.DataFrame) -> str:
    """A DataFrame as a GitHub markdown table (every cell as text)."""
    lines = [
        "| " + " | ".join(frame.columns) + " |",
        "| " + " | ".join("---" for _ in frame.columns) + " |",
    ]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in frame.to_numpy()]
    return "\n".join(lines)


def segment_table(profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per segment: size, revenue share and the medians in words."""
    return pd.DataFrame(
        {
            "id": profiles.segment_id,
            "segment": profiles.segment_name,
            "customers": profiles.customers.map("{:,}".format),
            "share": profiles.customer_share.map("{:.1%}".format),
            "revenue share (net)": profiles.revenue_share.map("{:.1%}".format),
            "median recency (days)": profiles.median_recency_days.map("{:.0f}".format),
            "median orders": profiles.median_frequency.map("{:.0f}".format),
            "median net spend": profiles.median_monetary.map(money),
            "median order value": profiles.median_avg_order_value.map(money),
            "name_fit": profiles.name_fit.map("{:.3f}".format),
        }
    )


def naming_table(centroids: pd.DataFrame) -> pd.DataFrame:
    """Where each segment's median member stands, beside its name."""
    scores = [
        c for c in centroids.columns if c.endswith("_score") and c != "value_score"
    ]
    table = centroids[["segment_id", "segment_name", *scores, "name_fit"]].copy()
    for column in [*scores, "name_fit"]:
        table[column] = table[column].map("{:.2f}".format)
    return table


def k_table(diagnostics: pd.DataFrame) -> pd.DataFrame:
    """The k rule: one row per k with the scores and the verdict."""
    return pd.DataFrame(
        {
            "k": diagnostics.k,
            "silhouette": diagnostics.silhouette.map("{:.3f}".format),
            "Davies-Bouldin": diagnostics.davies_bouldin.map("{:.3f}".format),
            "Calinski-Harabasz": diagnostics.calinski_harabasz.map("{:,.0f}".format),
            "smallest segment": diagnostics.smallest_segment_share.map("{:.1%}".format),
            "stability ARI": diagnostics.stability_ari.map("{:.3f}".format),
            "elbow": diagnostics.elbow_score.map("{:.3f}".format),
            "verdict": diagnostics.verdict,
        }
    )


def migration_matrix(
    migration: pd.DataFrame, to_date: str | None = None
) -> pd.DataFrame:
    """One pair of as-of dates of ``segment_migration`` (the one ending at
    ``to_date``, by default the last) as a matrix: customers from each state
    (rows, `new` first) to each segment (columns).

    Examples
    --------
    >>> m = pd.DataFrame({
    ...     "from_as_of_date": ["2011-11-01"] * 3, "to_as_of_date": ["2011-12-01"] * 3,
    ...     "from_segment_id": [None, 1, 1], "from_segment_name": ["new", "A", "A"],
    ...     "to_segment_id": [1, 1, 2], "to_segment_name": ["A", "A", "B"],
    ...     "customers": [3, 10, 2]})
    >>> for row in migration_matrix(m).to_dict("records"):
    ...     print(row)
    {'from → to': 'new', '1 A': '3', '2 B': '–'}
    {'from → to': '1 A', '1 A': '10', '2 B': '2'}
    """
    dates = migration.to_as_of_date.astype(str)
    chosen = to_date or dates.max()
    if chosen not in set(dates):
        raise SystemExit(f"segment_migration has no pair of dates ending at {chosen}")
    last = migration[dates == chosen].copy()
    last["from"] = [
        "new" if pd.isna(i) else f"{int(i)} {name}"
        for i, name in zip(last.from_segment_id, last.from_segment_name, strict=True)
    ]
    last["order"] = last.from_segment_id.fillna(0)
    last["to"] = [
        f"{int(i)} {name}"
        for i, name in zip(last.to_segment_id, last.to_segment_name, strict=True)
    ]
    table = last.pivot_table(
        index=["order", "from"], columns="to", values="customers", aggfunc="sum"
    ).sort_index()
    table = table.map(lambda v: "–" if pd.isna(v) else f"{int(v):,}")
    table = (
        table.reset_index().drop(columns="order").rename(columns={"from": "from → to"})
    )
    table.columns.name = None
    return table


def kpi_table(kpis: pd.DataFrame, dates: int = 3) -> pd.DataFrame:
    """``segment_kpis`` of the last ``dates`` as-of dates: one row per segment,
    one column per date, each cell "customers / revenue in the period / new /
    reactivated".

    Examples
    --------
    >>> k = pd.DataFrame({"as_of_date": ["2011-11-01", "2011-12-01"],
    ...     "segment_id": [1, 1], "segment_name": ["A", "A"],
    ...     "customers": [10, 1200], "gross_revenue": [99.5, 2000.0],
    ...     "new_customers": [1, 2], "reactivated_customers": [0, 3]})
    >>> kpi_table(k, dates=1).to_dict("records")
    [{'segment': '1 A', '2011-12-01': '1,200 / £2,000 / 2 / 3'}]
    """
    last = sorted(kpis.as_of_date.astype(str).unique())[-dates:]
    rows = kpis.assign(as_of=kpis.as_of_date.astype(str))
    rows = rows[rows.as_of.isin(last)]
    rows = rows.assign(
        segment=[
            f"{i} {n}" for i, n in zip(rows.segment_id, rows.segment_name, strict=True)
        ],
        cell=[
            f"{c:,} / {money(r)} / {n:,} / {b:,}"
            for c, r, n, b in zip(
                rows.customers,
                rows.gross_revenue,
                rows.new_customers,
                rows.reactivated_customers,
                strict=True,
            )
        ],
    )
    table = rows.pivot(index=["segment_id", "segment"], columns="as_of", values="cell")
    table = table.fillna("–").reset_index().drop(columns="segment_id")
    table.columns.name = None
    return table


def retention_line(kpis: pd.DataFrame) -> str:
    """The share of each segment still buying after the last as-of date with
    a whole churn window after it, in one sentence."""
    full = kpis[kpis.retained_share.notna()]
    if full.empty:
        return "no as-of date has a whole churn window after it"
    date = str(pd.Timestamp(full.as_of_date.max()).date())
    rows = full[full.as_of_date == full.as_of_date.max()].sort_values("segment_id")
    shares = ", ".join(
        f"{name} {share:.0%}"
        for name, share in zip(rows.segment_name, rows.retained_share, strict=True)
    )
    return f"still buying within the churn window after {date}: {shares}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="segmentation.duckdb")
    parser.add_argument(
        "--migration-to",
        help="the as-of date the printed migration ends at (default: the last)",
    )
    args = parser.parse_args()
    with duckdb.connect(args.db, read_only=True) as connection:
        profiles = connection.sql(
            "select * from segment_profiles order by segment_id"
        ).df()
        centroids = connection.sql(
            "select * from int_segments__centroids order by segment_id"
        ).df()
        diagnostics = connection.sql(
            "select * from cluster_diagnostics order by k"
        ).df()
        audit = connection.sql(
            "select outcome, line_count from transaction_audit order by line_count desc"
        ).df()
        migration = connection.sql("select * from segment_migration").df()
        kpis = connection.sql("select * from segment_kpis").df()
        stages = connection.sql(
            "select stage, customers, customer_share from lifecycle_stage_history "
            "where as_of_date = (select max(as_of_date) from lifecycle_stage_history) "
            "order by customers desc"
        ).df()
    print(markdown(segment_table(profiles)))
    print()
    print(
        markdown(
            profiles[
                [
                    "segment_id",
                    "segment_name",
                    "segment_description",
                    "recommended_action",
                ]
            ]
        )
    )
    print()
    print(markdown(naming_table(centroids)))
    print()
    print(markdown(k_table(diagnostics)))
    print()
    naming = diagnostics.loc[diagnostics.is_selected, "naming_verdict"].item()
    print(f"naming_verdict: {naming}")
    print()
    print(markdown(audit[audit.line_count > 0]))
    print()
    print(markdown(migration_matrix(migration, args.migration_to)))
    print()
    print(markdown(kpi_table(kpis)))
    print()
    print(retention_line(kpis))
    print()
    print(markdown(stages))


if __name__ == "__main__":
    main()
