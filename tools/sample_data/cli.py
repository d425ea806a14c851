"""Command line of the sample generator (``python -m tools.sample_data``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tools.sample_data.files import write_sample
from tools.sample_data.parameters import DEFAULT_CUSTOMERS, DEFAULT_SEED


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the bundled sample and print a one-line summary.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``): ``--out PATH`` and optionally
        ``--customers N`` and ``--seed S``.

    Returns
    -------
    int
        Exit status, 0 on success.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     main(["--out", f"{tmp}/t.csv.gz", "--customers", "10"])
    ... # doctest: +ELLIPSIS
    wrote .../t.csv.gz: ... rows, 10 customers, ... bytes
    0
    """
    parser = argparse.ArgumentParser(
        prog="python -m tools.sample_data",
        description="Write the synthetic sample of transaction lines (gzip CSV).",
    )
    parser.add_argument("--out", required=True, type=Path, help="output .csv.gz")
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    df = write_sample(args.out, n_customers=args.customers, seed=args.seed)
    print(
        f"wrote {args.out}: {len(df)} rows, "
        f"{df['CustomerID'].nunique()} customers, {args.out.stat().st_size} bytes"
    )
    return 0
