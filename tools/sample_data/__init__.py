"""Deterministic synthetic sample of e-commerce transaction lines.

The project ships a small sample (``data/sample/transactions.csv.gz``) shaped
like the UCI "Online Retail" data: one row per invoice line, with the same
eight columns, value formats and quirks (guest lines without a customer,
cancellations, stock adjustments, free lines, "Adjust bad debt" lines,
exact duplicate lines, missing descriptions, descriptions with trailing
spaces and one huge order that is cancelled minutes later).

Every row is synthetic: the generator only borrows broad proportions from the
real data, never its rows. The same arguments always give the same frame and
a byte-identical gzip file.

Run it as ``python -m tools.sample_data --out data/sample/transactions.csv.gz``
(or ``make sample``). It lives outside the ``segmentation`` package because
only this tooling and the tests need it, never the dbt models.

The stages, each in its own module and in the order they draw from the one
random generator: the product catalogue (``catalogue``), the customers and
their purchase invoices (``customers``), guest invoices (``guests``), the
lines of those invoices (``sales``), cancellations, stock adjustments and bad
debt (``corrections``), numbering and assembly with duplicates
(``assemble``); ``generate`` runs them, ``files`` writes the gzip CSV and
``cli`` is the command line.
"""

from tools.sample_data.cli import main
from tools.sample_data.files import to_csv_bytes, write_sample
from tools.sample_data.generate import generate_transactions
from tools.sample_data.parameters import COLUMNS

__all__ = ["COLUMNS", "generate_transactions", "main", "to_csv_bytes", "write_sample"]
