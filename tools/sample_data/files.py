"""Stage 7: the CSV text and the deterministic gzip file of the lines."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

from tools.sample_data.generate import generate_transactions
from tools.sample_data.parameters import COLUMNS


def _format_price(value: float) -> str:
    """Shortest text of a price rounded to cents (``2.1``, ``0.0``, ``-11.5``)."""
    return repr(round(float(value), 2) + 0.0)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Render transaction lines as UTF-8 CSV text in the UCI file layout.

    Parameters
    ----------
    df : pandas.DataFrame
        Lines with the columns of :data:`COLUMNS`, as returned by
        :func:`generate_transactions`.

    Returns
    -------
    bytes
        Header row and one row per line, ``\\n`` line ends, RFC 4180 quoting,
        ``InvoiceDate`` as ``YYYY-MM-DD HH:MM:SS``, ``CustomerID`` as a whole
        number (empty when missing) and ``UnitPrice`` with at most 2 decimals.

    Examples
    --------
    >>> df = generate_transactions(n_customers=10, seed=7)
    >>> to_csv_bytes(df).split(b"\\n")[0].decode()
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'
    """
    customer = df["CustomerID"]
    text = pd.DataFrame(
        {
            "InvoiceNo": df["InvoiceNo"].astype(str),
            "StockCode": df["StockCode"].astype(str),
            "Description": df["Description"].fillna("").astype(str),
            "Quantity": df["Quantity"].astype(np.int64).astype(str),
            "InvoiceDate": pd.to_datetime(df["InvoiceDate"]).dt.strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "UnitPrice": [_format_price(v) for v in df["UnitPrice"].to_numpy()],
            "CustomerID": [
                "" if pd.isna(v) else str(int(v)) for v in customer.to_numpy()
            ],
            "Country": df["Country"].astype(str),
        },
        columns=list(COLUMNS),
    )
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(text.itertuples(index=False, name=None))
    return buffer.getvalue().encode("utf-8")


def write_sample(path: str | Path, **kwargs: object) -> pd.DataFrame:
    """Generate the sample and write it as a deterministic gzip CSV file.

    The gzip header carries no file name and a zero modification time, so
    the same arguments always give a byte-identical file.

    Parameters
    ----------
    path : str or pathlib.Path
        Output file (normally ``data/sample/transactions.csv.gz``); parent
        folders are created.
    **kwargs
        Passed to :func:`generate_transactions` (``n_customers``, ``seed``,
        ``start``, ``end``).

    Returns
    -------
    pandas.DataFrame
        The lines written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = Path(tmp) / "t.csv.gz"
    ...     df = write_sample(out, n_customers=10, seed=7)
    ...     raw = out.read_bytes()
    >>> raw[:2], raw[4:8]  # gzip magic, zero mtime
    (b'\\x1f\\x8b', b'\\x00\\x00\\x00\\x00')
    """
    df = generate_transactions(**kwargs)  # type: ignore[arg-type]
    compressed = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=compressed, mtime=0, compresslevel=9
    ) as gz:
        gz.write(to_csv_bytes(df))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(compressed.getvalue())
    return df
