"""Do DuckDB and Spark give the same marts? The rules, in one place.

A DuckDB build leaves its marts in a database file; a Spark build (``python
-m tools.spark_dbt build``) leaves them as Parquet tables under its warehouse
directory, which DuckDB reads directly: so the comparison needs no Spark.

The rules, per mart (:data:`KEYS` names each mart's grain):
- the same rows: every key on both sides, none twice;
- the same columns with the same types;
- text, whole numbers, dates and flags identical (so the same segment for
  every customer, the same audit counts, the same descriptions);
- money (:data:`MONEY_COLUMNS`) within one cent;
- every other fractional number (diagnostics, shares, centroids, distances)
  within :data:`FLOAT_TOLERANCE` relative to the value's size (absolute
  below 1), plus one unit of the sixth decimal the marts round them to: the
  engines sum and average in different orders, so the last bits differ (and
  may round to neighbouring sixth decimals); K-Means sees the same input, so
  nothing more may.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from tools.marts import MARTS

#: Each mart's grain: the columns that name one row.
KEYS: dict[str, tuple[str, ...]] = {
    "customer_segments": ("customer_id",),
    "segment_profiles": ("segment_id",),
    "cluster_diagnostics": ("k",),
    "segment_feature_stats": ("segment_feature_id",),
    "transaction_audit": ("outcome",),
    "customer_segment_history": ("customer_id", "as_of_date"),
    # by name: the state `new` has no segment id
    "segment_migration": ("to_as_of_date", "from_segment_name", "to_segment_id"),
    "segment_movements": ("to_as_of_date", "from_segment_id", "to_segment_id"),
    "customer_lifecycle": ("customer_id",),
    "lifecycle_stage_history": ("as_of_date", "stage"),
    "segment_kpis": ("as_of_date", "segment_id"),
    "cohort_retention": ("cohort_month", "months_since"),
    "segment_centroid_history": ("as_of_date", "segment_id"),
    "customer_value": ("customer_id",),
    "value_model": ("purchase_model", "fit_period"),
    "value_model_validation": ("purchase_model", "frequency_group"),
    "segment_rules": ("rule_id",),
}

#: Columns in the shop's currency: compared to the cent.
MONEY_COLUMNS = frozenset(
    {
        "monetary",
        "gross_monetary",
        "returned_value",
        "avg_order_value",
        "revenue",
        "gross_revenue",
        "line_value",
        "median_monetary",
        "mean_monetary",
        "median_gross_monetary",
        "mean_gross_monetary",
        "median_returned_value",
        "mean_returned_value",
        "median_avg_order_value",
        "mean_avg_order_value",
        "centroid_monetary",
        "centroid_avg_order_value",
        "repeat_purchase_value_mean",
        "expected_purchase_value",
        "predicted_clv",
        "total_predicted_clv",
        "median_predicted_clv",
    }
)
#: One cent, and a little for the binary representation of a rounded value.
MONEY_TOLERANCE = 0.01 + 1e-9
#: Other fractional numbers: relative to the value's size (absolute below 1).
FLOAT_TOLERANCE = 1e-6
#: One unit of the last decimal the marts round fractional numbers to.
ROUNDING_UNIT = 1e-6


@dataclass
class MartComparison:
    """What differs in one mart between the two engines."""

    mart: str
    duckdb_rows: int
    spark_rows: int
    problems: list[str] = field(default_factory=list)
    #: column -> largest difference seen (fractional columns only)
    largest_differences: dict[str, float] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not self.problems


def spark_table_path(warehouse: Path, schema: str, table: str) -> Path:
    """Where Spark's default catalog keeps a table of a schema."""
    return Path(warehouse) / f"{schema}.db" / table


def read_duckdb_mart(database: Path, mart: str) -> pd.DataFrame:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(f"select * from {mart}").df()


def read_spark_mart(warehouse: Path, schema: str, mart: str) -> pd.DataFrame:
    """A Spark table's Parquet files, read with DuckDB."""
    path = spark_table_path(warehouse, schema, mart)
    if not path.is_dir():
        raise FileNotFoundError(f"Spark table {schema}.{mart} not found at {path}")
    with duckdb.connect() as connection:
        return connection.execute(
            "select * from read_parquet(?)", [str(path / "*.parquet")]
        ).df()


def _is_fractional(series: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(series)


def _comparable(series: pd.Series) -> pd.Series:
    """Values as compared exactly: timestamps without a zone, text as text."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("datetime64[us]").astype("string")
    return series.astype("string")


def compare_frames(
    mart: str, duck: pd.DataFrame, spark: pd.DataFrame
) -> MartComparison:
    """Compare one mart's rows from both engines under the module's rules."""
    result = MartComparison(mart, len(duck), len(spark))
    if list(duck.columns) != list(spark.columns):
        result.problems.append(
            f"columns differ: duckdb {list(duck.columns)} spark {list(spark.columns)}"
        )
        return result
    key = list(KEYS[mart])
    for side, frame in (("duckdb", duck), ("spark", spark)):
        repeated = int(frame.duplicated(key).sum())
        if repeated:
            result.problems.append(f"{side}: {repeated} rows repeat a key {key}")
    if result.problems:
        return result
    # rows on one side only, by key; then the values of the rows on both
    # (an inner join, so that no column is widened to hold a missing row)
    keys = duck[key].merge(spark[key], on=key, how="outer", indicator=True)
    for side, only in (("duckdb", "left_only"), ("spark", "right_only")):
        missing = keys[keys["_merge"] == only]
        if len(missing):
            examples = missing[key].head(3).to_dict("records")
            result.problems.append(
                f"{len(missing)} rows only on {side}, e.g. {examples}"
            )
    both = duck.merge(spark, on=key, how="inner", suffixes=("__duckdb", "__spark"))
    for column in duck.columns:
        if column in key:
            continue
        left, right = both[f"{column}__duckdb"], both[f"{column}__spark"]
        if _is_fractional(duck[column]) or _is_fractional(spark[column]):
            a, b = left.astype("float64").to_numpy(), right.astype("float64").to_numpy()
            nulls_differ = np.isnan(a) != np.isnan(b)
            difference = np.abs(np.nan_to_num(a) - np.nan_to_num(b))
            if column in MONEY_COLUMNS:
                allowed = MONEY_TOLERANCE
            else:
                allowed = ROUNDING_UNIT + FLOAT_TOLERANCE * np.maximum(
                    1.0, np.abs(np.nan_to_num(a))
                )
            bad = nulls_differ | (difference > allowed)
            result.largest_differences[column] = float(difference.max(initial=0.0))
        else:
            bad = (_comparable(left) != _comparable(right)).fillna(True).to_numpy()
            bad &= ~(left.isna().to_numpy() & right.isna().to_numpy())
        if bad.any():
            rows = both[bad]
            examples = [
                f"{dict(zip(key, r[:-2], strict=True))}: {r[-2]!r} vs {r[-1]!r}"
                for r in rows[[*key, f"{column}__duckdb", f"{column}__spark"]]
                .head(3)
                .itertuples(index=False)
            ]
            result.problems.append(
                f"{column}: {int(bad.sum())} of {len(both)} rows differ, e.g. "
                + "; ".join(examples)
            )
    return result


def compare_engines(
    database: Path,
    warehouse: Path,
    schema: str = "segmentation",
    marts: Iterable[str] = MARTS,
    ignore: Iterable[str] = (),
) -> list[MartComparison]:
    """Every mart of a DuckDB build against the same mart of a Spark build,
    leaving out the columns named in ``ignore`` where a mart has them."""
    ignore = list(ignore)

    def without_ignored(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop(columns=[c for c in ignore if c in frame.columns])

    return [
        compare_frames(
            mart,
            without_ignored(read_duckdb_mart(database, mart)),
            without_ignored(read_spark_mart(warehouse, schema, mart)),
        )
        for mart in marts
    ]


def report(comparisons: list[MartComparison]) -> str:
    """The comparison as a Markdown table, then each problem."""
    lines = [
        "| mart | rows (duckdb / spark) | verdict | largest fractional difference |",
        "| --- | --- | --- | --- |",
    ]
    for c in comparisons:
        largest = max(
            c.largest_differences.items(), key=lambda item: item[1], default=None
        )
        lines.append(
            f"| {c.mart} | {c.duckdb_rows:,} / {c.spark_rows:,} | "
            f"{'same' if c.same else 'DIFFERENT'} | "
            f"{f'{largest[1]:.2g} ({largest[0]})' if largest else '-'} |"
        )
    for c in comparisons:
        lines.extend(f"- {c.mart}: {problem}" for problem in c.problems)
    return "\n".join(lines)
