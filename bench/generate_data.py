"""Write N lines of Online-Retail-shaped data by repeating the real UCI data.

    python bench/generate_data.py --lines 10000000 \
        --out bench/data/lines_10000000.parquet

Copy ``c`` (0, 1, 2, ...) of the 541,909 real lines gets:

* ``CustomerID + c * 100000`` (real ids are 12346..18287, so copies never
  collide; missing ids stay missing),
* the invoice number plus ``c * 1000000``, keeping its 'C' / 'A' prefix
  ('C536379' -> 'C1536379' in copy 1),
* ``InvoiceDate`` shifted forward by ``c mod 15`` days, so that copies do not
  coincide exactly while every customer's recency, frequency and spend keep
  the real distribution at any N (copy 0 is the real data unchanged).

Lines are taken in file order, copy after copy, and the last copy is cut so
that the file has exactly N lines. Everything (exact duplicates, cancellations,
free lines, lines without a customer) is repeated with the data, so the
cleaning rules see the same shares of each quirk at every N.

The file is written by DuckDB's streaming ``COPY ... (FORMAT parquet)``: the
lines are never held in memory, whatever N. An existing file with exactly N
lines is reused.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import duckdb

# The real data lives beside the project, in ../shared/data (as in the
# Makefile and tools/dbt_runner.SHARED_DATA); --source names another file.
SOURCE = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "online_retail.parquet"
)
CUSTOMER_SHIFT = 100_000
INVOICE_SHIFT = 1_000_000
DATE_CYCLE_DAYS = 15


def parquet_rows(path: Path) -> int | None:
    """Number of rows in a Parquet file, or None when it cannot be read."""
    try:
        with duckdb.connect() as con:
            return con.execute(
                "select sum(num_rows) from parquet_file_metadata(?)", [str(path)]
            ).fetchone()[0]
    except (duckdb.Error, OSError):
        return None


def generation_query(source: Path, lines: int, source_rows: int) -> str:
    """One UNION ALL branch per copy, so that DuckDB streams the lines out in
    order (copy after copy, file order within a copy) without sorting."""
    path = str(source).replace("'", "''")
    branches = []
    for copy in range(-(-lines // source_rows)):  # ceiling division
        keep = min(source_rows, lines - copy * source_rows)
        branches.append(
            f"""
        select
            regexp_extract(InvoiceNo, '^[^0-9]*')
                || cast(
                    cast(regexp_extract(InvoiceNo, '[0-9]+$') as bigint)
                    + {copy * INVOICE_SHIFT} as varchar
                ) as InvoiceNo,
            StockCode,
            Description,
            Quantity,
            InvoiceDate + to_days({copy % DATE_CYCLE_DAYS}) as InvoiceDate,
            UnitPrice,
            CustomerID + {copy * CUSTOMER_SHIFT} as CustomerID,
            Country
        from read_parquet('{path}', file_row_number = true)
        where file_row_number < {keep}"""
        )
    return "\n        union all".join(branches)


def generate(
    lines: int,
    out: Path,
    source: Path = SOURCE,
    memory_limit: str = "2GB",
    threads: int | None = None,
) -> Path:
    """Write ``lines`` lines to ``out`` (reusing a file of the right size)."""
    if lines < 1:
        raise ValueError("--lines must be at least 1")
    if out.exists() and parquet_rows(out) == lines:
        print(f"reusing {out} ({lines:,} lines)", file=sys.stderr)
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    started = time.perf_counter()
    with duckdb.connect(config={"memory_limit": memory_limit}) as con:
        if threads:
            con.execute(f"set threads = {int(threads)}")
        source_rows = con.execute(
            "select count(*) from read_parquet(?)", [str(source)]
        ).fetchone()[0]
        target = str(partial).replace("'", "''")
        con.execute(
            f"copy ({generation_query(source, lines, source_rows)}) "
            f"to '{target}' (format parquet, compression zstd, "
            f"row_group_size 1000000)"
        )
    written = parquet_rows(partial)
    if written != lines:
        raise RuntimeError(f"wrote {written} lines to {partial}, expected {lines}")
    os.replace(partial, out)
    print(
        f"wrote {out} ({lines:,} lines, {out.stat().st_size / 2**20:,.0f} MiB) "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, required=True, help="lines to write")
    parser.add_argument(
        "--out", type=Path, help="default: bench/data/lines_<N>.parquet"
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=SOURCE,
        help="the real data to repeat (default: ../shared/data/online_retail.parquet"
        " beside the project)",
    )
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory_limit")
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all)")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).parent / "data" / f"lines_{args.lines}.parquet"
    generate(args.lines, out, args.source, args.memory_limit, args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
