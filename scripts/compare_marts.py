"""Compare the marts of two built databases, row for row.

Shows that a change which must not change outputs (a refactor) did not:
build the same input before and after into two databases, then::

    .venv/bin/python -m scripts.compare_marts before.duckdb after.duckdb

Prints, per mart, the rows and columns on each side and whether every row is
identical; exits 1 when any mart differs.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

from tools.marts import MARTS, mart_columns, mart_fingerprint


def compare(before: str, after: str) -> list[tuple[str, str]]:
    """(mart, verdict) for every mart; the verdict starts with 'identical'
    when nothing differs."""
    verdicts = []
    with (
        duckdb.connect(before, read_only=True) as old,
        duckdb.connect(after, read_only=True) as new,
    ):
        for mart in MARTS:
            old_columns, new_columns = mart_columns(old, mart), mart_columns(new, mart)
            old_rows, old_digest = mart_fingerprint(old, mart)
            new_rows, new_digest = mart_fingerprint(new, mart)
            if old_columns != new_columns:
                verdict = (
                    f"columns differ: -{sorted(set(old_columns) - set(new_columns))} "
                    f"+{sorted(set(new_columns) - set(old_columns))}"
                )
            elif (old_rows, old_digest) != (new_rows, new_digest):
                verdict = f"rows differ ({old_rows} -> {new_rows} rows)"
            else:
                verdict = f"identical ({new_rows} rows, {len(new_columns)} columns)"
            verdicts.append((mart, verdict))
    return verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    args = parser.parse_args()
    verdicts = compare(args.before, args.after)
    for mart, verdict in verdicts:
        print(f"{mart}: {verdict}")
    return 0 if all(v.startswith("identical") for _, v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
