"""The segment report: one self-contained HTML file built from the marts.

``python -m tools.report --db segmentation.duckdb --out target/segment_report.html``
(``make report``). It reads only the marts, as a BI tool would, through a
read-only connection, and writes one HTML file that opens from disk with no
network: every chart is matplotlib drawn to an inline SVG (no script), every
style is in the page. Sections whose marts a database lacks (the history, the
customer value, the rules) are replaced by a note.

The logic is in plain functions (the one-line readings, the sample, which
sections can be drawn); :func:`build_report` wires them.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

#: The Okabe-Ito palette (colour-blind safe), one colour per segment in
#: segment_id order, the same in every chart; grey once it runs out.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
#: The colour of a segment beyond the palette's eight.
EXTRA_COLOUR = "#999999"
#: At most this many customers in the PCA scatter (a fixed-seed sample).
SCATTER_LIMIT = 20_000
#: The scatter sample's seed: the same database draws the same picture.
SCATTER_SEED = 0
#: The clustering features, in the heatmap's column order, with their units.
FEATURE_UNITS: dict[str, str] = {
    "recency_days": "days",
    "frequency": "orders",
    "monetary": "money",
    "avg_order_value": "money",
}
DEFAULT_OUT = Path("target/segment_report.html")


def default_database() -> Path:
    """The project's DuckDB file: ``$SEGMENTATION_DB``, else ``segmentation.duckdb``."""
    return Path(os.environ.get("SEGMENTATION_DB") or "segmentation.duckdb")


# ---- plain functions: colours, numbers in words, readings -----------------


def segment_colours(segment_ids: Sequence[int]) -> dict[int, str]:
    """One Okabe-Ito colour per segment, by ascending segment_id.

    Examples
    --------
    >>> segment_colours([3, 1, 2])
    {1: '#E69F00', 2: '#56B4E9', 3: '#009E73'}
    """
    ordered = sorted({int(s) for s in segment_ids})
    return {
        s: OKABE_ITO[i] if i < len(OKABE_ITO) else EXTRA_COLOUR
        for i, s in enumerate(ordered)
    }


def percent(share: float, digits: int = 0) -> str:
    """A share (0..1) as a percentage.

    Examples
    --------
    >>> percent(0.2063)
    '21%'
    >>> percent(0.2063, 1)
    '20.6%'
    """
    return f"{100 * share:.{digits}f}%"


def money(value: float) -> str:
    """Money in the data's currency, thousands separated, no decimals.

    Examples
    --------
    >>> money(1234567.891)
    '1,234,568'
    """
    return f"{value:,.0f}"


def day(value) -> str:
    """A date (or timestamp) as YYYY-MM-DD.

    Examples
    --------
    >>> day(pd.Timestamp("2011-12-01 00:00:00"))
    '2011-12-01'
    """
    return str(pd.Timestamp(value).date())


def _thousands(axis) -> None:
    """Whole numbers with thousands separators on an axis (no 1e6 offset)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))


def k_choice_reading(diagnostics: pd.DataFrame) -> str:
    """One line on the k choice: the chosen k, its silhouette beside the
    best one, and the inertia it saves over one segment fewer.

    Parameters
    ----------
    diagnostics : DataFrame
        cluster_diagnostics: k, inertia, silhouette, is_selected.

    Returns
    -------
    str

    Examples
    --------
    >>> d = pd.DataFrame({"k": [2, 3, 4], "inertia": [100.0, 60.0, 50.0],
    ...     "silhouette": [0.4, 0.35, 0.3], "is_selected": [False, True, False]})
    >>> k_choice_reading(d)
    'k = 3 chosen: silhouette 0.35 (best 0.40 at k = 2); inertia 40% below k = 2.'
    """
    d = diagnostics.sort_values("k").reset_index(drop=True)
    chosen = d[d["is_selected"].fillna(False).astype(bool)]
    if chosen.empty:
        return "No k is selected in cluster_diagnostics."
    row = chosen.iloc[0]
    best = d.loc[d["silhouette"].idxmax()]
    text = (
        f"k = {int(row['k'])} chosen: silhouette {row['silhouette']:.2f} "
        f"(best {best['silhouette']:.2f} at k = {int(best['k'])})"
    )
    before = d[d["k"] < row["k"]]
    if not before.empty:
        previous = before.iloc[-1]
        drop = 1 - row["inertia"] / previous["inertia"]
        text += f"; inertia {percent(drop)} below k = {int(previous['k'])}"
    return text + "."


def pareto_reading(profiles: pd.DataFrame) -> str:
    """ "x% of customers bring y% of revenue" for the segment whose revenue
    share most exceeds its customer share.

    Examples
    --------
    >>> p = pd.DataFrame({"segment_name": ["A", "B"], "customer_share": [0.2, 0.8],
    ...     "revenue_share": [0.72, 0.28]})
    >>> pareto_reading(p)
    'A: 20% of customers bring 72% of revenue.'
    """
    ratio = profiles["revenue_share"] / profiles["customer_share"].where(
        profiles["customer_share"] > 0
    )
    if ratio.isna().all():
        return "No segment has customers."
    top = profiles.loc[ratio.idxmax()]
    return (
        f"{top['segment_name']}: {percent(top['customer_share'])} of customers "
        f"bring {percent(top['revenue_share'])} of revenue."
    )


def heatmap_reading(stats: pd.DataFrame) -> str:
    """The segment and feature furthest from the average customer, in
    standard deviations.

    Examples
    --------
    >>> s = pd.DataFrame({"segment_name": ["A", "B"], "feature_name": ["f", "g"],
    ...     "standardised_centroid": [0.5, -1.25]})
    >>> heatmap_reading(s)
    'Furthest from the average customer: B on g (-1.25 sd).'
    """
    row = stats.loc[stats["standardised_centroid"].abs().idxmax()]
    return (
        f"Furthest from the average customer: {row['segment_name']} on "
        f"{row['feature_name']} ({row['standardised_centroid']:+.2f} sd)."
    )


def sample_customers(
    points: pd.DataFrame, limit: int = SCATTER_LIMIT, seed: int = SCATTER_SEED
) -> pd.DataFrame:
    """At most ``limit`` rows of ``points``, a fixed-seed sample.

    The rows are put in customer_id order first, so the same customers give
    the same sample whatever order the database returns them in.

    Examples
    --------
    >>> p = pd.DataFrame({"customer_id": [str(i) for i in range(10)]})
    >>> len(sample_customers(p, 4))
    4
    >>> sample_customers(p, 4).equals(sample_customers(p.iloc[::-1], 4))
    True
    """
    ordered = points.sort_values("customer_id", kind="stable").reset_index(drop=True)
    if len(ordered) <= limit:
        return ordered
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(len(ordered), size=limit, replace=False))
    return ordered.iloc[chosen].reset_index(drop=True)


def pca_reading(diagnostics: pd.DataFrame, shown: int, total: int) -> str:
    """The variance the two components explain and how many customers are drawn.

    Examples
    --------
    >>> d = pd.DataFrame({"pca_explained_variance_1": [0.6],
    ...     "pca_explained_variance_2": [0.25]})
    >>> pca_reading(d, 100, 100)  # doctest: +NORMALIZE_WHITESPACE
    'The two components explain 85% of the variance (60% + 25%);
    all 100 customers drawn.'
    """
    first = float(diagnostics["pca_explained_variance_1"].iloc[0])
    second = float(diagnostics["pca_explained_variance_2"].iloc[0])
    drawn = (
        f"all {total:,} customers drawn"
        if shown >= total
        else f"a fixed-seed sample of {shown:,} of {total:,} customers drawn"
    )
    return (
        f"The two components explain {percent(first + second)} of the variance "
        f"({percent(first)} + {percent(second)}); {drawn}."
    )


def audit_reading(audit: pd.DataFrame) -> str:
    """Lines kept, and the largest exclusion reason.

    Examples
    --------
    >>> a = pd.DataFrame({"outcome": ["kept", "duplicate", "cancellation"],
    ...     "is_kept": [True, False, False], "line_count": [90, 4, 6]})
    >>> audit_reading(a)
    '90% of 100 lines kept; the largest exclusion is cancellation (6%).'
    """
    total = int(audit["line_count"].sum())
    if total == 0:
        return "No lines were read."
    kept = int(audit.loc[audit["is_kept"], "line_count"].sum())
    text = f"{percent(kept / total)} of {total:,} lines kept"
    excluded = audit[~audit["is_kept"] & (audit["line_count"] > 0)]
    if excluded.empty:
        return text + "; none excluded."
    top = excluded.loc[excluded["line_count"].idxmax()]
    return (
        text + f"; the largest exclusion is {top['outcome']} "
        f"({percent(top['line_count'] / total)})."
    )


def migration_reading(migration: pd.DataFrame) -> str:
    """Customers who stayed in their segment, and the largest move.

    ``migration``: one pair of dates, from_segment_id (null: not a customer
    at the earlier date), to_segment_id, from/to names, customers.

    Examples
    --------
    >>> m = pd.DataFrame({"from_segment_id": [1, 1, 2, None],
    ...     "from_segment_name": ["A", "A", "B", "new"],
    ...     "to_segment_id": [1, 2, 2, 1], "to_segment_name": ["A", "B", "B", "A"],
    ...     "customers": [6, 2, 2, 5]})
    >>> migration_reading(m)
    '80% of returning customers stayed in their segment; the largest move: A to B (2).'
    """
    known = migration[migration["from_segment_id"].notna()]
    total = int(known["customers"].sum())
    if total == 0:
        return "No customer was in a segment at both dates."
    same = known["from_segment_id"].astype("int64") == known["to_segment_id"]
    text = (
        f"{percent(known.loc[same, 'customers'].sum() / total)} of returning "
        "customers stayed in their segment"
    )
    moves = known[~same]
    if moves.empty or moves["customers"].max() == 0:
        return text + "."
    move = moves.loc[moves["customers"].idxmax()]
    return (
        text + f"; the largest move: {move['from_segment_name']} to "
        f"{move['to_segment_name']} ({int(move['customers']):,})."
    )


def shares_reading(shares: pd.DataFrame) -> str:
    """The segment whose share of customers changed most, first to last date.

    ``shares``: as_of_date, segment_name, share (of that date's customers).

    Examples
    --------
    >>> s = pd.DataFrame({"as_of_date": ["2011-01-01"] * 3 + ["2011-12-01"] * 3,
    ...     "segment_name": ["A", "B", "C"] * 2,
    ...     "share": [0.5, 0.3, 0.2, 0.2, 0.35, 0.45]})
    >>> shares_reading(s)  # doctest: +NORMALIZE_WHITESPACE
    'Largest change: A from 50% to 20% of customers between 2011-01-01
    and 2011-12-01.'
    """
    first, last = shares["as_of_date"].min(), shares["as_of_date"].max()
    wide = shares.pivot_table(
        index="segment_name", columns="as_of_date", values="share", fill_value=0.0
    )
    change = (wide[last] - wide[first]).abs()
    name = change.idxmax()
    return (
        f"Largest change: {name} from {percent(wide.loc[name, first])} to "
        f"{percent(wide.loc[name, last])} of customers between {day(first)} and "
        f"{day(last)}."
    )


def value_reading(value: pd.DataFrame) -> str:
    """The segment holding the largest share of the predicted value.

    ``value``: segment_name, total_predicted_clv.

    Examples
    --------
    >>> v = pd.DataFrame({"segment_name": ["A", "B"],
    ...     "total_predicted_clv": [30.0, 10.0]})
    >>> value_reading(v)
    'A hold 75% of the predicted customer value (40 in all).'
    """
    total = float(value["total_predicted_clv"].sum())
    if total <= 0:
        return "No customer value is predicted."
    top = value.loc[value["total_predicted_clv"].idxmax()]
    return (
        f"{top['segment_name']} hold {percent(top['total_predicted_clv'] / total)} "
        f"of the predicted customer value ({money(total)} in all)."
    )


def rules_reading(rules: pd.DataFrame, fidelity: float | None) -> str:
    """The rules' agreement with the K-Means labels, and their number.

    Examples
    --------
    >>> r = pd.DataFrame({"rule_id": [1, 2]})
    >>> rules_reading(r, 0.913)
    '2 rules agree with the K-Means segment for 91.3% of customers.'
    """
    agreement = (
        "(fidelity not recorded)"
        if fidelity is None or pd.isna(fidelity)
        else f"agree with the K-Means segment for {percent(fidelity, 1)} of customers"
    )
    return f"{len(rules)} rules {agreement}."


# ---- reading the marts ----------------------------------------------------


def existing_tables(connection: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views of the connection's main schema."""
    rows = connection.execute(
        "select table_name from information_schema.tables "
        "where table_schema = current_schema()"
    ).fetchall()
    return {row[0] for row in rows}


def table_columns(connection: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """Column names of a table."""
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = current_schema() and table_name = ?",
        [table],
    ).fetchall()
    return {row[0] for row in rows}


@dataclass
class Marts:
    """What the report reads: frames by name, and the tables present."""

    frames: dict[str, pd.DataFrame]
    tables: set[str]
    customers: int


#: The marts every section but the optional ones needs.
REQUIRED_MARTS: tuple[str, ...] = (
    "customer_segments",
    "segment_profiles",
    "cluster_diagnostics",
    "segment_feature_stats",
    "transaction_audit",
)


def read_marts(connection: duckdb.DuckDBPyConnection) -> Marts:
    """Read what the report needs from the marts (only the marts).

    Raises
    ------
    SystemExit
        When a required mart is missing: the database is not built.
    """
    tables = existing_tables(connection)
    missing = [m for m in REQUIRED_MARTS if m not in tables]
    if missing:
        raise SystemExit(
            f"the database has no {', '.join(missing)}: build it first (make build)"
        )

    def frame(sql: str, params: Sequence | None = None) -> pd.DataFrame:
        return connection.execute(sql, params or []).df()

    frames = {
        "profiles": frame("select * from segment_profiles order by segment_id"),
        "diagnostics": frame("select * from cluster_diagnostics order by k"),
        "stats": frame("select * from segment_feature_stats order by segment_id"),
        "audit": frame("select * from transaction_audit order by precedence"),
        "points": frame(
            "select customer_id, segment_id, pca_1, pca_2 from customer_segments"
        ),
    }
    if "segment_migration" in tables:
        frames["migration"] = frame(
            "select * from segment_migration where to_as_of_date = "
            "(select max(to_as_of_date) from segment_migration)"
        )
    if "segment_kpis" in tables:
        frames["shares"] = frame(
            "select as_of_date, segment_id, segment_name, customers / "
            "sum(customers) over (partition by as_of_date) as share "
            "from segment_kpis order by as_of_date, segment_id"
        )
    elif "customer_segment_history" in tables:
        frames["shares"] = frame(
            "with counts as (select as_of_date, segment_id, segment_name, "
            "count(*) as customers from customer_segment_history group by all) "
            "select as_of_date, segment_id, segment_name, customers / "
            "sum(customers) over (partition by as_of_date) as share "
            "from counts order by as_of_date, segment_id"
        )
    if "total_predicted_clv" in table_columns(connection, "segment_profiles"):
        frames["value"] = frames["profiles"][
            [
                "segment_id",
                "segment_name",
                "total_predicted_clv",
                "median_predicted_clv",
            ]
        ]
    elif "customer_value" in tables:
        frames["value"] = frame(
            "select segment_id, segment_name, sum(predicted_clv) as "
            "total_predicted_clv, median(predicted_clv) as median_predicted_clv "
            "from customer_value group by all order by segment_id"
        )
    if "segment_rules" in tables:
        frames["rules"] = frame("select * from segment_rules order by rule_id")
        if "rules_fidelity" in table_columns(connection, "cluster_diagnostics"):
            frames["fidelity"] = frame(
                "select rules_fidelity from cluster_diagnostics where is_selected"
            )
    return Marts(frames, tables, len(frames["points"]))


# ---- charts ---------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            # text stays text: smaller, sharper, searchable; the browser's
            # sans-serif draws it
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def figure_svg(figure, name: str) -> str:
    """A matplotlib figure as an inline <svg> element.

    The ids matplotlib writes (clip paths, markers) are salted with ``name``,
    so two charts on one page never share an id and a rebuild gives the same
    file.
    """
    plt = _pyplot()
    buffer = io.StringIO()
    with plt.rc_context({"svg.hashsalt": name}):
        figure.savefig(
            buffer, format="svg", bbox_inches="tight", dpi=110, metadata={"Date": None}
        )
    plt.close(figure)
    return inline_svg(buffer.getvalue(), name)


def inline_svg(text: str, name: str) -> str:
    r"""An SVG document made fit to sit in a page beside others: no XML prolog
    nor doctype, no RDF metadata, and every id (with its references)
    prefixed with ``name``, since matplotlib numbers its elements
    (``figure_1``, ``axes_1``) afresh in each figure.

    Examples
    --------
    >>> inline_svg('<?xml version="1.0"?>\n<svg><metadata>x</metadata>'
    ...     '<g id="a" clip-path="url(#c)"/><use xlink:href="#m"/></svg>', "k")
    '<svg><g id="k-a" clip-path="url(#k-c)"/><use xlink:href="#k-m"/></svg>'
    """
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r'\bid="', f'id="{name}-', text)
    text = text.replace("url(#", f"url(#{name}-")
    return re.sub(r'href="#', f'href="#{name}-', text)


def chart_k_choice(diagnostics: pd.DataFrame) -> str:
    plt = _pyplot()
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    d = diagnostics.sort_values("k")
    chosen = d[d["is_selected"].fillna(False).astype(bool)]
    left.plot(d["k"], d["inertia"], marker="o", color="#0072B2")
    right.plot(d["k"], d["silhouette"], marker="o", color="#D55E00")
    for axis, column in ((left, "inertia"), (right, "silhouette")):
        if not chosen.empty:
            axis.axvline(chosen["k"].iloc[0], color="#555555", linestyle="--")
            axis.scatter(
                chosen["k"], chosen[column], s=140, facecolors="none", edgecolors="k"
            )
        axis.set_xlabel("k (number of segments)")
        axis.set_xticks(d["k"])
    left.set_title("Elbow: inertia against k")
    left.set_ylabel("inertia (sum of squared distances, sd²)")
    _thousands(left.yaxis)
    right.set_title("Silhouette against k")
    right.set_ylabel("mean silhouette (−1 to 1)")
    figure.tight_layout()
    return figure_svg(figure, "k-choice")


def chart_sizes(profiles: pd.DataFrame, colours: dict[int, str]) -> str:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(9, 0.5 + 0.55 * len(profiles)))
    p = profiles.sort_values("segment_id", ascending=False)
    y = np.arange(len(p))
    bar_colours = [colours[int(s)] for s in p["segment_id"]]
    axis.barh(y + 0.2, 100 * p["customer_share"], 0.38, color=bar_colours)
    axis.barh(
        y - 0.2,
        100 * p["revenue_share"],
        0.38,
        color=bar_colours,
        hatch="///",
        edgecolor="#333333",
    )
    for offset, column, label in (
        (0.2, "customer_share", "customers"),
        (-0.2, "revenue_share", "revenue"),
    ):
        for yi, share in zip(y, p[column], strict=True):
            axis.text(
                100 * share + 0.5,
                yi + offset,
                f"{percent(share)} of {label}",
                va="center",
                fontsize=8,
            )
    axis.set_yticks(y, p["segment_name"])
    axis.set_xlabel("share (%): plain bar customers, hatched bar revenue")
    axis.set_xlim(0, 100)
    axis.set_title("Segment sizes beside revenue shares")
    figure.tight_layout()
    return figure_svg(figure, "sizes")


def chart_heatmap(stats: pd.DataFrame, profiles: pd.DataFrame) -> str:
    plt = _pyplot()
    features = [f for f in FEATURE_UNITS if f in set(stats["feature_name"])]
    features += sorted(set(stats["feature_name"]) - set(features))
    grid = stats.pivot_table(
        index="segment_id", columns="feature_name", values="standardised_centroid"
    )[features]
    names = profiles.set_index("segment_id")["segment_name"]
    limit = max(float(np.nanmax(np.abs(grid.to_numpy()))), 0.5)
    figure, axis = plt.subplots(figsize=(9, 0.8 + 0.7 * len(grid)))
    image = axis.imshow(
        grid.to_numpy(), cmap="PuOr_r", vmin=-limit, vmax=limit, aspect="auto"
    )
    for i, segment in enumerate(grid.index):
        for j, feature in enumerate(features):
            column = f"median_{feature}"
            median = profiles.set_index("segment_id").get(column)
            label = f"{grid.loc[segment, feature]:+.2f} sd"
            if median is not None:
                unit = FEATURE_UNITS.get(feature, "")
                label += f"\nmedian {median.loc[segment]:,.0f} {unit}".rstrip()
            strong = abs(grid.loc[segment, feature]) > 0.6 * limit
            axis.text(
                j,
                i,
                label,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if strong else "black",
            )
    axis.set_xticks(range(len(features)), features)
    axis.set_yticks(range(len(grid)), [names.get(s, str(s)) for s in grid.index])
    axis.set_xlabel("feature (cell: standardised centroid; median in original units)")
    axis.set_ylabel("segment")
    axis.set_title("Standardised centroids")
    figure.colorbar(image, ax=axis, label="standard deviations from the mean")
    figure.tight_layout()
    return figure_svg(figure, "heatmap")


def chart_pca(
    points: pd.DataFrame,
    profiles: pd.DataFrame,
    colours: dict[int, str],
    diagnostics: pd.DataFrame,
) -> str:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(7.5, 5))
    names = profiles.set_index("segment_id")["segment_name"]
    for segment, group in points.groupby("segment_id"):
        axis.scatter(
            group["pca_1"],
            group["pca_2"],
            s=4,
            alpha=0.6,
            linewidths=0,
            color=colours[int(segment)],
            rasterized=True,
            label=names.get(segment, str(segment)),
        )
    first = float(diagnostics["pca_explained_variance_1"].iloc[0])
    second = float(diagnostics["pca_explained_variance_2"].iloc[0])
    axis.set_xlabel(f"first principal component (sd; {percent(first)} of variance)")
    axis.set_ylabel(f"second principal component (sd; {percent(second)} of variance)")
    axis.set_title("Customers on the first two principal components")
    axis.legend(markerscale=3, frameon=False, loc="best")
    figure.tight_layout()
    return figure_svg(figure, "pca")


def chart_audit(audit: pd.DataFrame) -> str:
    plt = _pyplot()
    shown = audit[(audit["line_count"] > 0) | audit["is_kept"]].sort_values(
        "line_count"
    )
    figure, axis = plt.subplots(figsize=(9, 0.6 + 0.4 * len(shown)))
    colours = ["#009E73" if kept else "#D55E00" for kept in shown["is_kept"]]
    axis.barh(shown["outcome"], shown["line_count"], color=colours)
    for y, count in enumerate(shown["line_count"]):
        axis.text(count, y, f" {int(count):,}", va="center", fontsize=8)
    axis.set_xlabel("lines of the raw file (green kept, vermilion excluded)")
    _thousands(axis.xaxis)
    axis.set_ylabel("outcome")
    axis.set_title("Data-quality audit: lines kept and excluded by reason")
    axis.margins(x=0.15)
    figure.tight_layout()
    return figure_svg(figure, "audit")


def chart_migration(migration: pd.DataFrame) -> str:
    plt = _pyplot()
    m = migration.assign(
        from_order=migration["from_segment_id"].fillna(0).astype("int64")
    )
    rows = (
        m[["from_order", "from_segment_name"]]
        .drop_duplicates()
        .sort_values(["from_order", "from_segment_name"])
    )
    columns = (
        m[["to_segment_id", "to_segment_name"]]
        .drop_duplicates()
        .sort_values("to_segment_id")
    )
    grid = m.pivot_table(
        index="from_segment_name",
        columns="to_segment_name",
        values="customers",
        aggfunc="sum",
        fill_value=0,
    ).reindex(
        index=rows["from_segment_name"],
        columns=columns["to_segment_name"],
        fill_value=0,
    )
    figure, axis = plt.subplots(figsize=(8, 0.9 + 0.55 * len(grid)))
    image = axis.imshow(grid.to_numpy(), cmap="Blues", aspect="auto")
    peak = max(int(grid.to_numpy().max()), 1)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            value = int(grid.iat[i, j])
            axis.text(
                j,
                i,
                f"{value:,}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if value > 0.6 * peak else "black",
            )
    axis.set_xticks(range(grid.shape[1]), grid.columns, rotation=20, ha="right")
    axis.set_yticks(range(grid.shape[0]), grid.index)
    first = day(migration["from_as_of_date"].iloc[0])
    last = day(migration["to_as_of_date"].iloc[0])
    axis.set_xlabel(f"segment at {last}")
    axis.set_ylabel(f"state at {first}")
    axis.set_title(f"Migration between {first} and {last} (customers)")
    figure.colorbar(image, ax=axis, label="customers")
    figure.tight_layout()
    return figure_svg(figure, "migration")


def chart_shares(shares: pd.DataFrame, colours: dict[int, str]) -> str:
    plt = _pyplot()
    wide = shares.pivot_table(
        index="as_of_date", columns="segment_id", values="share", fill_value=0.0
    ).sort_index()
    names = shares.drop_duplicates("segment_id").set_index("segment_id")["segment_name"]
    figure, axis = plt.subplots(figsize=(9, 3.6))
    dates = pd.to_datetime(wide.index)
    axis.stackplot(
        dates,
        *[100 * wide[s] for s in wide.columns],
        colors=[colours.get(int(s), EXTRA_COLOUR) for s in wide.columns],
        labels=[names.get(s, str(s)) for s in wide.columns],
    )
    axis.set_ylim(0, 100)
    axis.set_xlabel("as-of date")
    axis.set_ylabel("share of customers (%)")
    axis.set_title("Segment shares over time")
    axis.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    figure.tight_layout()
    return figure_svg(figure, "shares")


def chart_value(value: pd.DataFrame, colours: dict[int, str]) -> str:
    plt = _pyplot()
    v = value.sort_values("segment_id")
    figure, axis = plt.subplots(figsize=(9, 0.6 + 0.5 * len(v)))
    y = np.arange(len(v))[::-1]
    axis.barh(
        y,
        v["total_predicted_clv"],
        color=[colours.get(int(s), EXTRA_COLOUR) for s in v["segment_id"]],
    )
    for yi, total, median in zip(
        y, v["total_predicted_clv"], v["median_predicted_clv"], strict=True
    ):
        axis.text(
            total,
            yi,
            f" {money(total)} (median {money(median)})",
            va="center",
            fontsize=8,
        )
    axis.set_yticks(y, v["segment_name"])
    axis.set_xlabel("predicted customer value, total (the data's currency)")
    _thousands(axis.xaxis)
    axis.set_title("Predicted value by segment")
    axis.margins(x=0.25)
    figure.tight_layout()
    return figure_svg(figure, "value")


# ---- sections and the page ------------------------------------------------


@dataclass
class Section:
    """One section of the report: its id, title, reading and body (HTML).

    ``charts`` is how many <svg> the section draws: the browser test counts
    them. A note-only section (a mart absent) draws none.
    """

    id: str
    title: str
    reading: str
    body: str
    charts: int


def _table(frame: pd.DataFrame, headers: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def profile_table(profiles: pd.DataFrame, colours: dict[int, str]) -> str:
    """The profile table (name, description, size, revenue, medians, action),
    every text escaped."""
    rows = []
    for p in profiles.sort_values("segment_id").itertuples(index=False):
        swatch = (
            f'<span class="swatch" style="background:{colours[int(p.segment_id)]}">'
            "</span>"
        )
        cells = [
            swatch + html.escape(str(p.segment_name)),
            html.escape(str(p.segment_description)),
            f"{int(p.customers):,} ({percent(p.customer_share)})",
            f"{money(p.revenue)} ({percent(p.revenue_share)})",
            f"{p.median_recency_days:,.0f} days",
            f"{p.median_frequency:,.0f}",
            money(p.median_monetary),
            money(p.median_avg_order_value),
            html.escape(str(p.recommended_action)),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    headers = [
        "segment",
        "description",
        "customers",
        "revenue",
        "median recency",
        "median orders",
        "median monetary",
        "median order value",
        "recommended action",
    ]
    head = "".join(f"<th>{h}</th>" for h in headers)
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def note_section(id: str, title: str, missing: str) -> Section:
    """A section whose mart is absent: a note instead of a chart."""
    return Section(
        id,
        title,
        f"Not shown: {missing} is not in this database.",
        '<p class="note">This part of the project has not been built here '
        f"({html.escape(missing)}); build it and run make report again.</p>",
        0,
    )


def build_sections(marts: Marts) -> list[Section]:
    """Every section of the report, in page order."""
    f = marts.frames
    profiles, diagnostics = f["profiles"], f["diagnostics"]
    colours = segment_colours(profiles["segment_id"])
    selected = diagnostics[diagnostics["is_selected"].fillna(False).astype(bool)]
    verdict = "" if selected.empty else str(selected["verdict"].iloc[0])
    points = sample_customers(f["points"])
    sections = [
        Section(
            "k-choice",
            "How many segments: the k choice",
            k_choice_reading(diagnostics),
            chart_k_choice(diagnostics)
            + f'<p class="verdict">Verdict: {html.escape(verdict)}</p>',
            1,
        ),
        Section(
            "sizes",
            "Segment sizes and revenue",
            pareto_reading(profiles),
            chart_sizes(profiles, colours),
            1,
        ),
        Section(
            "centroids",
            "What sets the segments apart",
            heatmap_reading(f["stats"]),
            chart_heatmap(f["stats"], profiles),
            1,
        ),
        Section(
            "pca",
            "The customers, seen from above",
            pca_reading(diagnostics, len(points), marts.customers),
            chart_pca(points, profiles, colours, diagnostics),
            1,
        ),
        Section(
            "profiles",
            "The segments and what to do",
            f"{len(profiles)} segments, {marts.customers:,} customers.",
            profile_table(profiles, colours),
            0,
        ),
        Section(
            "audit",
            "Data quality",
            audit_reading(f["audit"]),
            chart_audit(f["audit"]),
            1,
        ),
    ]
    if "migration" in f and not f["migration"].empty:
        m = f["migration"]
        sections.append(
            Section(
                "migration",
                "Where customers moved",
                migration_reading(m),
                chart_migration(m),
                1,
            )
        )
    else:
        sections.append(
            note_section("migration", "Where customers moved", "segment_migration")
        )
    if "shares" in f and not f["shares"].empty:
        sections.append(
            Section(
                "shares",
                "Segment shares over time",
                shares_reading(f["shares"]),
                chart_shares(f["shares"], colours),
                1,
            )
        )
    else:
        sections.append(
            note_section(
                "shares",
                "Segment shares over time",
                "segment_kpis (or customer_segment_history)",
            )
        )
    if "value" in f and not f["value"].empty:
        sections.append(
            Section(
                "value",
                "Predicted value by segment",
                value_reading(f["value"]),
                chart_value(f["value"], colours),
                1,
            )
        )
    else:
        sections.append(
            note_section(
                "value",
                "Predicted value by segment",
                "customer_value (or segment_profiles' value columns)",
            )
        )
    if "rules" in f:
        fidelity = f.get("fidelity")
        value = (
            None
            if fidelity is None or fidelity.empty
            else fidelity["rules_fidelity"].iloc[0]
        )
        rules = f["rules"]
        shown = rules.assign(
            precision=rules["precision"].map(lambda x: percent(x, 1)),
            recall=rules["recall"].map(lambda x: percent(x, 1)),
        )[
            [
                "rule_id",
                "segment_name",
                "rule_text",
                "rule_sql",
                "customers",
                "precision",
                "recall",
            ]
        ]
        sections.append(
            Section(
                "rules",
                "The segments as plain rules",
                rules_reading(rules, value),
                _table(
                    shown,
                    [
                        "rule",
                        "segment",
                        "rule in words",
                        "SQL condition",
                        "customers",
                        "precision",
                        "recall",
                    ],
                ),
                0,
            )
        )
    else:
        sections.append(
            note_section("rules", "The segments as plain rules", "segment_rules")
        )
    return sections


STYLE = """
body{font-family:sans-serif;margin:2rem auto;max-width:1000px;color:#222;
line-height:1.4;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}
section{border-top:1px solid #ddd;padding:.6rem 0 1rem}
h2{font-size:1.2rem;margin:.4rem 0}
p.reading{font-weight:bold;margin:.2rem 0 .6rem}
p.note{color:#666;font-style:italic}
svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85rem;width:100%}
th,td{border:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;
border:1px solid #333}
"""


def render_html(sections: Sequence[Section], subtitle: str) -> str:
    """The page: every section, the style inline, no script."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Customer segments</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Customer segments</h1>",
        f'<p class="subtitle">{html.escape(subtitle)}</p>',
    ]
    for s in sections:
        parts.append(
            f'<section id="{html.escape(s.id)}" data-charts="{s.charts}">'
            f"<h2>{html.escape(s.title)}</h2>"
            f'<p class="reading">{html.escape(s.reading)}</p>{s.body}</section>'
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def build_report(database: Path, out: Path) -> list[Section]:
    """Read the marts of ``database`` (read-only) and write the report to ``out``."""
    if not Path(database).exists():
        raise SystemExit(f"no database at {database}: build it first (make build)")
    with duckdb.connect(str(database), read_only=True) as connection:
        marts = read_marts(connection)
    as_of = ""
    with duckdb.connect(str(database), read_only=True) as connection:
        as_of = str(
            connection.execute(
                "select max(as_of_date) from customer_segments"
            ).fetchone()[0]
        )
    sections = build_sections(marts)
    subtitle = (
        f"{marts.customers:,} customers as of {as_of}; built from the marts of "
        f"{Path(database).name}."
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(sections, subtitle), encoding="utf-8")
    return sections


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="the DuckDB file ($SEGMENTATION_DB, else segmentation.duckdb)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the HTML file to write (default {DEFAULT_OUT})",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sections = build_report(args.db or default_database(), args.out)
    seconds = time.perf_counter() - started
    charts = sum(s.charts for s in sections)
    print(
        f"wrote {args.out} ({args.out.stat().st_size / 1024:,.0f} KiB, "
        f"{charts} charts, {len(sections)} sections) in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
