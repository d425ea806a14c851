"""Compare the marts of a DuckDB build with those of a Spark build.

Build the same input on both engines, then::

    .venv/bin/python -m scripts.compare_engines \\
        segmentation.duckdb target/spark/warehouse

Prints one row per mart (rows on each side, same or different, the largest
fractional difference) and every difference found under the rules of
tools/engine_comparison.py (same rows and segments, money within a cent,
other numbers within a stated float tolerance); exits 1 when a mart differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.engine_comparison import compare_engines, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("duckdb", type=Path, help="the DuckDB build's database file")
    parser.add_argument("warehouse", type=Path, help="the Spark build's warehouse dir")
    parser.add_argument("--schema", default="segmentation", help="the Spark schema")
    parser.add_argument(
        "--ignore",
        action="append",
        default=["naming_verdict"],
        help="a column to leave out (repeatable); naming_verdict always is: it "
        "tells the run's history (first run, or kept the previous segments), "
        "not the engine's answer",
    )
    args = parser.parse_args(argv)
    comparisons = compare_engines(
        args.duckdb, args.warehouse, args.schema, ignore=args.ignore
    )
    print(report(comparisons))
    return 0 if all(c.same for c in comparisons) else 1


if __name__ == "__main__":
    sys.exit(main())
