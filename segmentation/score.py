"""Score customers in real time from the exported segment model, without the warehouse.

``int_segments__scoring_model`` writes the fitted model as one JSON document
(``<export_path>/segment_model.json`` with var ``export_parquet``): the
features in order, their caps, log mean and standard deviation
(``int_features__scaling``), and each segment's id, name, action and
standardised centroid (``int_segments__centroids``). :func:`score` applies it
exactly as ``int_customers__segment_assignment`` does (macros
``standardise_features``, ``capped_log`` and ``nearest_centroid``): cap, signed
``ln(1 + |x|)``, standardise (0 for a feature with no spread), squared
Euclidean distance summed over the features in order, ties to the lowest
segment id. The log is the C library's, as DuckDB's ``ln`` (numpy's vectorised
log differs from it in the last bit for some values): the scaled features are
the warehouse's to the bit, so no customer near a boundary changes side.

Command line (CSV or JSON lines on stdin, the same format on stdout)::

    python -m segmentation.score --model exports/segment_model.json < customers.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import os
import sys
import threading
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: what the document is, so that another JSON file is not taken for a model
MODEL_FORMAT = "customer_segmentation.segment_model"
#: the document layout this scorer reads; a new layout gets a new number
FORMAT_VERSION = 1
#: the smallest valid value of each feature, as int_customers__features tests
#: them (a customer has at least one order; days, money and units are not
#: negative); features not listed take any finite number
FEATURE_MINIMUMS: dict[str, float] = {
    "recency_days": 0,
    "frequency": 1,
    "monetary": 0,
    "avg_order_value": 0,
    "gross_monetary": 0,
    "tenure_days": 0,
    "units": 0,
    "distinct_products": 0,
    "returned_orders": 0,
}
#: the columns score() and the command write
OUTPUT_COLUMNS = ("customer_id", "segment_id", "segment_name")
#: from this many values on, logs are taken by DuckDB in memory (_c_log)
DUCKDB_LOG_FROM = 4096
_local = threading.local()


class ScoringError(ValueError):
    """Input or model that cannot be scored; the message names the field and line."""


# ---- the model document ---------------------------------------------------


def model_document(
    scaling: pd.DataFrame, centroids: pd.DataFrame, as_of_date: Any
) -> dict:
    """The fitted model as a JSON-able document.

    Parameters
    ----------
    scaling : pandas.DataFrame
        ``int_features__scaling``: one row per feature (feature_name,
        feature_position, lower/upper_cap_quantile, lower_cap, upper_cap,
        log_mean, log_std).
    centroids : pandas.DataFrame
        ``int_segments__centroids``: segment_id, segment_name,
        recommended_action and ``centroid_<feature>`` per feature.
    as_of_date : date-like
        The date the features (and so the fit) are computed at.

    Returns
    -------
    dict
        Floats are kept as they are: ``json.dumps`` writes the shortest text
        that reads back to the same double, so scores are reproduced exactly.
    """
    scaling = scaling.sort_values("feature_position")
    features = [str(name) for name in scaling["feature_name"]]
    centroids = centroids.sort_values("segment_id")
    return {
        "format": MODEL_FORMAT,
        "format_version": FORMAT_VERSION,
        "as_of_date": pd.Timestamp(as_of_date).date().isoformat(),
        "transform": (
            "capped = min(max(x, lower_cap), upper_cap); "
            "logged = sign(capped) * ln(1 + abs(capped)); "
            "scaled = (logged - log_mean) / log_std, 0 when log_std is 0"
        ),
        "assignment": (
            "the segment whose centroid has the smallest squared Euclidean "
            "distance to the scaled features (summed in feature order); "
            "ties go to the lowest segment_id"
        ),
        "features": [
            {
                "name": str(row.feature_name),
                "minimum": FEATURE_MINIMUMS.get(str(row.feature_name)),
                "lower_cap_quantile": float(row.lower_cap_quantile),
                "upper_cap_quantile": float(row.upper_cap_quantile),
                "lower_cap": float(row.lower_cap),
                "upper_cap": float(row.upper_cap),
                "log_mean": float(row.log_mean),
                "log_std": float(row.log_std),
            }
            for row in scaling.itertuples(index=False)
        ],
        "segments": [
            {
                "segment_id": int(row["segment_id"]),
                "segment_name": str(row["segment_name"]),
                "recommended_action": str(row["recommended_action"]),
                "centroid": [float(row[f"centroid_{f}"]) for f in features],
            }
            for _, row in centroids.iterrows()
        ],
    }


def model_frame(
    scaling: pd.DataFrame, centroids: pd.DataFrame, spine: pd.DataFrame
) -> pd.DataFrame:
    """``int_segments__scoring_model``: one row, the model document as JSON text.

    ``spine`` is ``int_as_of_dates__spine``; its current date is the fit's.
    """
    current = spine.loc[spine["is_current"].astype(bool), "as_of_date"]
    if len(current) != 1:
        raise ValueError(f"expected one current as-of date, found {len(current)}")
    document = model_document(scaling, centroids, current.iloc[0])
    return pd.DataFrame(
        {
            "format_version": pd.Series([FORMAT_VERSION], dtype="int64"),
            "as_of_date": [dt.date.fromisoformat(document["as_of_date"])],
            # indented: the file is read by people too; one document per file
            "model_json": [json.dumps(document, indent=2, allow_nan=False)],
        }
    )


def check_model(model: Mapping) -> dict:
    """The model document, checked: known format and version, consistent shapes.

    Raises
    ------
    ScoringError
        Naming what is wrong, e.g. a format version this scorer cannot read.

    Examples
    --------
    >>> check_model({"format": MODEL_FORMAT, "format_version": 99})
    Traceback (most recent call last):
    ...
    segmentation.score.ScoringError: model: unknown format_version 99 (reads 1)
    """
    if not isinstance(model, Mapping) or model.get("format") != MODEL_FORMAT:
        raise ScoringError(f"model: not a segment model (no format {MODEL_FORMAT!r})")
    version = model.get("format_version")
    if version != FORMAT_VERSION:
        raise ScoringError(
            f"model: unknown format_version {version!r} (reads {FORMAT_VERSION})"
        )
    try:
        n_features = len(model["features"])
        for feature in model["features"]:
            for key in ("name", "lower_cap", "upper_cap", "log_mean", "log_std"):
                feature[key]  # noqa: B018 - presence check
        if not model["segments"] or n_features == 0:
            raise ScoringError("model: no features or no segments")
        for segment in model["segments"]:
            if len(segment["centroid"]) != n_features:
                raise ScoringError(
                    f"model: segment {segment['segment_id']} has "
                    f"{len(segment['centroid'])} centroid values for "
                    f"{n_features} features"
                )
    except (KeyError, TypeError) as error:
        raise ScoringError(f"model: malformed document ({error!r} missing)") from None
    return dict(model)


def load_model(path: str | os.PathLike) -> dict:
    """Read and check a model file.

    ``path`` may also be the directory Spark writes (one part file inside).
    """
    path = Path(path)
    if path.is_dir():
        parts = [p for p in sorted(path.glob("part-*")) if p.stat().st_size > 0]
        if len(parts) != 1:
            raise ScoringError(f"model: {path} holds {len(parts)} part files, not 1")
        path = parts[0]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScoringError(f"model: cannot read {path}: {error.strerror}") from None
    except json.JSONDecodeError as error:
        raise ScoringError(f"model: {path} is not JSON ({error})") from None
    return check_model(document)


# ---- scoring ----------------------------------------------------------------


def _number(value: Any, field: str, where: str) -> float:
    """One feature value as a float, or a ScoringError naming field and line."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ScoringError(f"{where}: field {field!r} is missing")
    if isinstance(value, bool):
        raise ScoringError(f"{where}: field {field!r} is {value!r}, not a number")
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ScoringError(
            f"{where}: field {field!r} is {value!r}, not a number"
        ) from None
    if math.isnan(number):
        raise ScoringError(f"{where}: field {field!r} is missing")
    if math.isinf(number):
        raise ScoringError(f"{where}: field {field!r} is {value!r}, not finite")
    return number


def _check_minimums(values: np.ndarray, model: dict, where) -> None:
    """Raise for the first value below its feature's minimum (``where(row)``
    names the row)."""
    for column, feature in enumerate(model["features"]):
        minimum = feature.get("minimum")
        if minimum is None:
            continue
        below = np.flatnonzero(values[:, column] < minimum)
        if below.size:
            row = int(below[0])
            raise ScoringError(
                f"{where(row)}: field {feature['name']!r} is "
                f"{values[row, column]:g}, below its minimum {minimum:g}"
            )


def _c_log(values: np.ndarray) -> np.ndarray:
    """Natural log as DuckDB's ``ln`` computes it: the C library's ``log``.

    A few values go through Python's ``math.log`` (the same C function); many
    through DuckDB itself, in memory, which is faster than Python calling it
    value by value (and numpy's vectorised log differs from it in the last
    bit for some values).
    """
    flat = np.ascontiguousarray(values, dtype=float).ravel()
    if flat.size < DUCKDB_LOG_FROM:
        logs = np.fromiter(map(math.log, flat.tolist()), dtype=float, count=flat.size)
        return logs.reshape(values.shape)
    import duckdb

    connection = getattr(_local, "duckdb", None)
    if connection is None:
        # one in-memory connection per thread: a connection is not thread-safe
        connection = _local.duckdb = duckdb.connect()
    connection.register("score_values", pd.DataFrame({"value": flat}))
    try:
        logs = connection.execute(
            "select ln(value) as logged from score_values"
        ).fetchnumpy()["logged"]
    finally:
        connection.unregister("score_values")
    return np.asarray(logs, dtype=float).reshape(values.shape)


def standardise(values: np.ndarray, model: dict) -> np.ndarray:
    """Rows of feature values (one column per model feature, in order) in the
    space of the centroids, as int_customers__standardised computes them."""
    features = model["features"]
    lower = np.array([f["lower_cap"] for f in features], dtype=float)
    upper = np.array([f["upper_cap"] for f in features], dtype=float)
    means = np.array([f["log_mean"] for f in features], dtype=float)
    stds = np.array([f["log_std"] for f in features], dtype=float)
    capped = np.minimum(np.maximum(values, lower), upper)
    logged = np.sign(capped) * _c_log(1.0 + np.abs(capped))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(stds != 0, (logged - means) / stds, 0.0)


def assign(values: np.ndarray, model: dict) -> np.ndarray:
    """Segment ids of rows of feature values (one column per model feature,
    in order), as int_customers__segment_assignment assigns them."""
    scaled = standardise(values, model)
    segments = sorted(model["segments"], key=lambda s: s["segment_id"])
    # one contiguous vector per feature: the loops below run over segments
    # and features, each step over every customer at once
    columns = np.ascontiguousarray(scaled.T)
    best_id = np.full(values.shape[0], segments[0]["segment_id"], dtype="int64")
    best = np.full(values.shape[0], np.inf)
    distance = np.empty(values.shape[0])
    term = np.empty(values.shape[0])
    for segment in segments:
        # summed feature by feature, in order, as the SQL adds its terms
        distance.fill(0.0)
        for column, centre in zip(columns, segment["centroid"], strict=True):
            np.subtract(column, centre, out=term)
            np.multiply(term, term, out=term)
            distance += term
        # strictly closer only: a tie stays with the lower segment id
        closer = distance < best
        best[closer] = distance[closer]
        best_id[closer] = segment["segment_id"]
    return best_id


def _names(model: dict) -> dict[int, str]:
    return {s["segment_id"]: s["segment_name"] for s in model["segments"]}


def _frame_values(features: pd.DataFrame, model: dict) -> np.ndarray:
    """The model's feature columns of a frame as floats, checked."""
    names = [f["name"] for f in model["features"]]
    missing = [name for name in names if name not in features.columns]
    if missing:
        raise ScoringError(f"input: field {missing[0]!r} is missing (no such column)")

    def where(row: int) -> str:
        return f"row {features.index[row]!r}"

    columns = []
    for name in names:
        column = features[name]
        numbers = pd.to_numeric(column, errors="coerce").astype(float).to_numpy()
        bad = np.flatnonzero(~np.isfinite(numbers))
        if bad.size:
            # the first bad value, described as _number describes it
            _number(column.iloc[bad[0]], name, where(int(bad[0])))
            raise ScoringError(f"{where(int(bad[0]))}: field {name!r} is not a number")
        columns.append(numbers)
    values = np.column_stack(columns) if len(features) else np.empty((0, len(names)))
    _check_minimums(values, model, where)
    return values


def score(features: Mapping | pd.DataFrame, model: Mapping | str | os.PathLike):
    """The segment of one customer, or of every row of a DataFrame.

    Parameters
    ----------
    features : mapping or pandas.DataFrame
        The model's features (other keys or columns are ignored).
    model : mapping or path
        The model document, or the path of ``segment_model.json``.

    Returns
    -------
    dict or pandas.DataFrame
        ``{"segment_id", "segment_name"}`` for a mapping; for a frame, a frame
        with its index, its ``customer_id`` column if it has one, and
        ``segment_id`` and ``segment_name``.

    Raises
    ------
    ScoringError
        A missing feature, a value that is not a finite number, or one below
        its minimum (e.g. a negative frequency); the message names the field.

    Examples
    --------
    >>> model = {"format": MODEL_FORMAT, "format_version": 1,
    ...     "features": [{"name": "frequency", "minimum": 1, "lower_cap": 1.0,
    ...         "upper_cap": 50.0, "log_mean": 1.0, "log_std": 0.5}],
    ...     "segments": [{"segment_id": 1, "segment_name": "Loyal", "centroid": [1.5]},
    ...         {"segment_id": 2, "segment_name": "One-off", "centroid": [-1.0]}]}
    >>> score({"frequency": 12}, model)
    {'segment_id': 1, 'segment_name': 'Loyal'}
    >>> score(pd.DataFrame({"customer_id": ["a", "b"], "frequency": [1, 30]}), model)
      customer_id  segment_id segment_name
    0           a           2      One-off
    1           b           1        Loyal
    >>> score({"frequency": -2}, model)
    Traceback (most recent call last):
    ...
    segmentation.score.ScoringError: input: field 'frequency' is -2, below its minimum 1
    """
    model = load_model(model) if isinstance(model, str | os.PathLike) else model
    model = check_model(model)
    names = _names(model)
    if isinstance(features, pd.DataFrame):
        ids = assign(_frame_values(features, model), model)
        result = pd.DataFrame(index=features.index)
        if "customer_id" in features.columns:
            result["customer_id"] = features["customer_id"]
        result["segment_id"] = ids
        # categorical: one string per segment, not one per customer
        ordered = sorted(names)
        categories = list(dict.fromkeys(names[i] for i in ordered))
        code_of = np.array([categories.index(names[i]) for i in ordered])
        result["segment_name"] = pd.Categorical.from_codes(
            code_of[np.searchsorted(ordered, ids)], categories
        )
        return result
    if not isinstance(features, Mapping):
        raise ScoringError(
            f"input: expected a mapping or a DataFrame, got {type(features).__name__}"
        )
    names_in_order = [f["name"] for f in model["features"]]
    values = np.array(
        [[_number(features.get(name), name, "input") for name in names_in_order]]
    )
    _check_minimums(values, model, lambda row: "input")
    segment_id = int(assign(values, model)[0])
    return {"segment_id": segment_id, "segment_name": names[segment_id]}


# ---- the command ------------------------------------------------------------


def _records(lines: Iterator[str], form: str) -> Iterator[tuple[int, Mapping]]:
    """(line number, record) of each non-blank input line."""
    if form == "jsonl":
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ScoringError(f"line {number}: not JSON ({error.msg})") from None
            if not isinstance(record, dict):
                raise ScoringError(f"line {number}: not a JSON object")
            yield number, record
        return
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return
    header = [name.strip() for name in header]
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ScoringError(
                f"line {number}: {len(row)} fields where the header has {len(header)}"
            )
        yield number, dict(zip(header, row, strict=True))


def _check_header(first: Mapping, model: dict, form: str) -> None:
    """A CSV header without a needed column is reported once, on line 1."""
    if form != "csv":
        return
    needed = ["customer_id", *(f["name"] for f in model["features"])]
    for name in needed:
        if name not in first:
            raise ScoringError(f"line 1: field {name!r} is missing from the header")


def score_stream(
    stdin: io.TextIOBase,
    stdout: io.TextIOBase,
    model: dict,
    form: str = "auto",
    batch_size: int = 1000,
) -> int:
    """Score CSV or JSON-lines records from ``stdin`` to ``stdout`` in the same
    format; returns the number of customers scored.

    Lines are scored ``batch_size`` at a time (1: each line answered as it
    arrives). Lines before a bad one are written; the bad one raises.
    """
    first = stdin.readline()
    if form == "auto":
        form = "jsonl" if first.lstrip().startswith("{") else "csv"

    def lines() -> Iterator[str]:
        line = first
        while line:
            yield line
            line = stdin.readline()

    names = _names(model)
    features = [f["name"] for f in model["features"]]
    writer = csv.writer(stdout, lineterminator="\n")
    header_written = False
    batch_ids: list = []
    batch_values: list[list[float]] = []
    scored = 0

    def flush() -> None:
        nonlocal header_written
        if form == "csv" and not header_written:
            writer.writerow(OUTPUT_COLUMNS)
            header_written = True
        if not batch_ids:
            return
        values = np.array(batch_values, dtype=float)
        for customer_id, segment_id in zip(
            batch_ids, assign(values, model).tolist(), strict=True
        ):
            if form == "csv":
                writer.writerow((customer_id, segment_id, names[segment_id]))
            else:
                record = dict(
                    zip(
                        OUTPUT_COLUMNS,
                        (customer_id, segment_id, names[segment_id]),
                        strict=True,
                    )
                )
                stdout.write(json.dumps(record) + "\n")
        stdout.flush()
        batch_ids.clear()
        batch_values.clear()

    records = _records(lines(), form)
    while True:
        try:
            number, record = next(records, (None, None))
            if record is None:
                break
            if scored == 0:
                _check_header(record, model, form)
            where = f"line {number}"
            customer_id = record.get("customer_id")
            if customer_id is None or customer_id == "":
                raise ScoringError(f"{where}: field 'customer_id' is missing")
            row = [_number(record.get(name), name, where) for name in features]
            _check_minimums(np.array([row]), model, lambda _row, where=where: where)
        except ScoringError:
            if scored:
                # the good lines before the bad one are answered
                flush()
            raise
        batch_ids.append(customer_id)
        batch_values.append(row)
        scored += 1
        if len(batch_ids) >= batch_size:
            flush()
    flush()
    return scored


class _CallableModule(types.ModuleType):
    """``segmentation.score(features, model)`` calls :func:`score`: the module
    and the function share the name the issue gives them."""

    def __call__(self, features, model):
        return score(features, model)


sys.modules[__name__].__class__ = _CallableModule


def main(argv: list[str] | None = None) -> int:
    """``python -m segmentation.score --model segment_model.json``."""
    parser = argparse.ArgumentParser(
        prog="python -m segmentation.score",
        description=(
            "Score customers read from stdin (CSV with a header, or JSON lines: "
            "customer_id and the model's features; other fields ignored) and "
            "write customer_id, segment_id, segment_name in the same format."
        ),
    )
    parser.add_argument("--model", required=True, help="segment_model.json")
    parser.add_argument(
        "--format", choices=["auto", "csv", "jsonl"], default="auto", dest="form"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=1000,
        help="lines scored at a time; 1 answers each line as it arrives",
    )
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    try:
        model = load_model(args.model)
        score_stream(sys.stdin, sys.stdout, model, args.form, args.batch_size)
    except ScoringError as error:
        sys.stdout.flush()
        print(f"segmentation.score: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
