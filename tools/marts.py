"""The marts BI reads, and a fingerprint of their rows.

Tests (reruns, the real data) and ``scripts/compare_marts.py`` all ask the
same question, "are these marts the same rows as those?", so they share this
one answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

#: Today's segments' marts and their value (built by `dbt build --exclude
#: tag:history`).
TODAY_MARTS: tuple[str, ...] = (
    "customer_segments",
    "segment_profiles",
    "cluster_diagnostics",
    "segment_feature_stats",
    "transaction_audit",
    "customer_value",
    "value_model",
    "value_model_validation",
    "segment_rules",
)
#: The segments over time (models/marts/history, tagged `history`).
HISTORY_MARTS: tuple[str, ...] = (
    "customer_segment_history",
    "segment_migration",
    "segment_movements",
    "customer_lifecycle",
    "lifecycle_stage_history",
    "segment_kpis",
    "cohort_retention",
    "segment_centroid_history",
)
#: The marts; with var export_parquet each is also <export_path>/<mart>.parquet.
MARTS: tuple[str, ...] = TODAY_MARTS + HISTORY_MARTS


def mart_columns(connection: duckdb.DuckDBPyConnection, mart: str) -> list[str]:
    """The mart's column names, in order."""
    return [row[0] for row in connection.execute(f"describe {mart}").fetchall()]


def mart_fingerprint(
    connection: duckdb.DuckDBPyConnection, mart: str, exclude: Iterable[str] = ()
) -> tuple[int, str]:
    """Rows of ``mart`` and an md5 of all of them in a fixed order.

    ``exclude`` names columns left out where the mart has them.

    Examples
    --------
    >>> connection = duckdb.connect()
    >>> _ = connection.execute("create table m as select 1 as a, 'x' as b")
    >>> mart_fingerprint(connection, "m")[0]
    1
    >>> mart_fingerprint(connection, "m", ["b"]) == mart_fingerprint(
    ...     connection, "m", ["b", "absent"])
    True
    """
    exclude = list(exclude)
    columns = mart_columns(connection, mart) if exclude else []
    left_out = [c for c in exclude if c in columns]
    star = f"* exclude ({', '.join(left_out)})" if left_out else "*"
    rows, digest = connection.execute(
        f"with rows as (select {star} from {mart}) select count(*), "
        "md5(coalesce(string_agg(cast(rows as varchar), '|' "
        "order by cast(rows as varchar)), '')) from rows"
    ).fetchone()
    return rows, digest


def marts_fingerprint(
    database: Path | str, exclude: Iterable[str] = ()
) -> dict[str, tuple[int, str]]:
    """:func:`mart_fingerprint` of every mart of a database, read-only."""
    exclude = list(exclude)
    with duckdb.connect(str(database), read_only=True) as connection:
        return {mart: mart_fingerprint(connection, mart, exclude) for mart in MARTS}
