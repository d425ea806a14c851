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


def validation_table(validation: pd.DataFrame) -> pd.DataFrame:
    """``value_model_validation`` side by side: one row per calibration
    frequency group, for each purchase model the mean predicted and actual
    holdout purchase days, and the ratio of the totals.

    Examples
    --------
    >>> v = pd.DataFrame({"purchase_model": ["bg_nbd", "bg_nbd"],
    ...     "frequency_group": ["0", "all"], "group_order": [0, 8],
    ...     "customers": [10, 10], "mean_predicted_purchase_days": [0.5, 0.5],
    ...     "mean_actual_purchase_days": [0.4, 0.4],
    ...     "predicted_to_actual_ratio": [1.25, 1.25],
    ...     "mean_absolute_error": [0.3, 0.3]})
    >>> validation_table(v).to_dict("records")[1]["BG/NBD predicted / actual"]
    '0.50 / 0.40 (1.25)'
    """
    names = {"bg_nbd": "BG/NBD", "mbg_nbd": "MBG/NBD"}
    groups = validation.drop_duplicates("frequency_group").sort_values("group_order")
    table = pd.DataFrame(
        {
            "repeat purchase days (calibration)": groups.frequency_group.to_numpy(),
            "customers": groups.customers.map("{:,}".format).to_numpy(),
        }
    )
    for model, name in names.items():
        rows = (
            validation[validation.purchase_model == model]
            .set_index("frequency_group")
            .reindex(groups.frequency_group)
        )
        table[f"{name} predicted / actual"] = [
            f"{p:.2f} / {a:.2f} ({r:.2f})"
            for p, a, r in zip(
                rows.mean_predicted_purchase_days,
                rows.mean_actual_purchase_days,
                rows.predicted_to_actual_ratio,
                strict=True,
            )
        ]
        table[f"{name} MAE"] = rows.mean_absolute_error.map("{:.2f}".format).to_numpy()
    return table


def value_segment_table(profiles: pd.DataFrame) -> pd.DataFrame:
    """Per segment: predicted CLV (total and median), mean p_alive and the
    share of customers more likely gone than alive."""
    return pd.DataFrame(
        {
            "id": profiles.segment_id,
            "segment": profiles.segment_name,
            "customers": profiles.customers.map("{:,}".format),
            "predicted CLV": profiles.total_predicted_clv.map(money),
            "median CLV": profiles.median_predicted_clv.map(money),
            "mean p_alive": profiles.mean_p_alive.map("{:.2f}".format),
            "p_alive < 0.5": profiles.share_p_alive_below_half.map("{:.1%}".format),
        }
    )


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
            "select * from internal.int_segments__centroids order by segment_id"
        ).df()
        diagnostics = connection.sql(
            "select * from cluster_diagnostics order by k"
        ).df()
        audit = connection.sql(
            "select outcome, line_count from transaction_audit order by line_count desc"
        ).df()
        migration = connection.sql("select * from segment_migration").df()
        kpis = connection.sql("select * from segment_kpis").df()
        value_models = connection.sql(
            "select purchase_model, fit_period, fit_end_date, customers, r, alpha, "
            "a, b, p, q, gamma, log_likelihood, parameters_at_bound, "
            "spend_frequency_correlation from value_model "
            "order by purchase_model, fit_period desc"
        ).df()
        validation = connection.sql("select * from value_model_validation").df()
        top_customers = connection.sql(
            "select customer_id, segment_name, purchase_days, "
            "days_since_first_purchase - days_first_to_last_purchase "
            "as days_since_last_purchase, repeat_purchase_value_mean, p_alive, "
            "expected_purchase_days, expected_purchase_value, predicted_clv "
            "from customer_value order by predicted_clv desc, customer_id limit 5"
        ).df()
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
    print()
    print(markdown(value_models.round(4)))
    print()
    print(markdown(validation_table(validation)))
    print()
    print(markdown(value_segment_table(profiles)))
    print()
    print(markdown(top_customers.round(3)))


if __name__ == "__main__":
    main()
