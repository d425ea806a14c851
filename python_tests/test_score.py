"""Scoring customers without the warehouse (segmentation/score.py): the model
document, one customer and a DataFrame, the command, bad input; and, on the
built sample and on the real data, that the Python score of every customer is
the SQL assignment in customer_segments."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from pathlib import Path
from unittest import mock

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import segmentation
import segmentation.score as score_module
from segmentation.score import (
    FORMAT_VERSION,
    MODEL_FORMAT,
    ScoringError,
    check_model,
    load_model,
    model_document,
    model_frame,
    score,
    score_stream,
    standardise,
)
from tools.dbt_runner import PROJECT_DIR

FEATURES = ["recency_days", "frequency", "monetary", "avg_order_value"]


def toy_model(centroids=None, log_std=(1.0, 0.5, 2.0, 1.5)) -> dict:
    """A model document through model_document, as the dbt model makes it."""
    scaling = pd.DataFrame(
        {
            "feature_name": FEATURES,
            "feature_position": [1, 2, 3, 4],
            "lower_cap_quantile": 0.01,
            "upper_cap_quantile": 0.99,
            "lower_cap": [1.0, 1.0, 0.0, 0.0],
            "upper_cap": [400.0, 50.0, 20000.0, 2000.0],
            "log_mean": [4.0, 1.2, 6.0, 4.5],
            "log_std": list(log_std),
        }
    )
    centroids = (
        centroids
        if centroids is not None
        else [[-1.0, 1.2, 1.1, 0.5], [1.0, -0.8, -0.9, -0.3], [0.5, 0.0, 0.2, 1.0]]
    )
    rows = pd.DataFrame(
        {
            # written out of id order: the document sorts them
            "segment_id": list(range(len(centroids), 0, -1)),
            "segment_name": [f"Segment {i}" for i in range(len(centroids), 0, -1)],
            "recommended_action": "act",
            **{
                f"centroid_{f}": [c[j] for c in reversed(centroids)]
                for j, f in enumerate(FEATURES)
            },
        }
    )
    return json.loads(json.dumps(model_document(scaling, rows, "2011-12-10")))


def scaled(values: dict, model: dict) -> np.ndarray:
    """The standardised features, computed here independently of score.py."""
    out = []
    for feature in model["features"]:
        x = min(
            max(values[feature["name"]], feature["lower_cap"]), feature["upper_cap"]
        )
        logged = np.sign(x) * np.log(1 + abs(x))
        std = feature["log_std"]
        out.append((logged - feature["log_mean"]) / std if std else 0.0)
    return np.array(out)


CUSTOMER = {"recency_days": 10, "frequency": 12, "monetary": 3000.5}
CUSTOMER["avg_order_value"] = CUSTOMER["monetary"] / CUSTOMER["frequency"]


# ---- the document ---------------------------------------------------------


def test_the_document_holds_what_scoring_needs():
    model = toy_model()
    assert model["format"] == MODEL_FORMAT
    assert model["format_version"] == FORMAT_VERSION
    assert model["as_of_date"] == "2011-12-10"
    assert [f["name"] for f in model["features"]] == FEATURES
    assert [s["segment_id"] for s in model["segments"]] == [1, 2, 3]
    assert model["segments"][0]["centroid"] == [-1.0, 1.2, 1.1, 0.5]
    assert model["features"][1]["minimum"] == 1


def test_the_model_frame_is_one_row_of_json_that_reads_back():
    model = toy_model()
    spine = pd.DataFrame(
        {
            "as_of_date": pd.to_datetime(["2011-11-01", "2011-12-10"]),
            "is_current": [False, True],
        }
    )
    scaling = pd.DataFrame(
        [
            {**f, "feature_name": f["name"], "feature_position": i}
            for i, f in enumerate(model["features"])
        ]
    )
    centroids = pd.DataFrame(
        [
            {
                "segment_id": s["segment_id"],
                "segment_name": s["segment_name"],
                "recommended_action": s["recommended_action"],
                **{
                    f"centroid_{f}": v
                    for f, v in zip(FEATURES, s["centroid"], strict=True)
                },
            }
            for s in model["segments"]
        ]
    )
    frame = model_frame(scaling, centroids, spine)
    assert len(frame) == 1
    assert json.loads(frame.model_json.iloc[0]) == model
    assert str(frame.as_of_date.iloc[0]) == "2011-12-10"


# ---- one customer, a frame ------------------------------------------------


def test_one_customer_goes_to_the_nearest_centroid():
    model = toy_model()
    point = scaled(CUSTOMER, model)
    centroids = np.array([s["centroid"] for s in model["segments"]])
    expected = int(np.argmin(((centroids - point) ** 2).sum(axis=1))) + 1
    assert score(CUSTOMER, model) == {
        "segment_id": expected,
        "segment_name": f"Segment {expected}",
    }
    # the package itself is callable, as the issue writes it
    assert segmentation.score(CUSTOMER, model) == score(CUSTOMER, model)


def test_caps_bound_extreme_values():
    model = toy_model()
    at_cap = {**CUSTOMER, "monetary": 20000.0}
    far_beyond = {**CUSTOMER, "monetary": 9e12}
    assert score(far_beyond, model) == score(at_cap, model)


def test_a_tie_goes_to_the_lowest_segment_id():
    # every feature without spread: everyone is at the origin, as far from
    # both centroids
    model = toy_model(centroids=[[1.0, 0, 0, 0], [-1.0, 0, 0, 0]], log_std=(0, 0, 0, 0))
    assert score(CUSTOMER, model)["segment_id"] == 1


def test_a_frame_keeps_its_index_and_customer_ids(tmp_path):
    model = toy_model()
    path = tmp_path / "segment_model.json"
    path.write_text(json.dumps(model))
    frame = pd.DataFrame([CUSTOMER, {**CUSTOMER, "recency_days": 300}], index=[7, 9])
    frame["customer_id"] = ["a", "b"]
    frame["country"] = "France"  # ignored
    result = score(frame, path)
    assert result.index.tolist() == [7, 9]
    assert result.columns.tolist() == ["customer_id", "segment_id", "segment_name"]
    assert result.segment_id.iloc[0] == score(CUSTOMER, model)["segment_id"]


def test_the_c_library_log_is_used():
    """numpy's vectorised log and the C library's differ in the last bit for
    some values; DuckDB's ln is the C library's."""
    values = np.linspace(1.0, 50000.0, 20001)
    expected = np.array([math.log(v) for v in values])
    assert values.size > score_module.DUCKDB_LOG_FROM
    np.testing.assert_array_equal(score_module._c_log(values), expected)
    np.testing.assert_array_equal(score_module._c_log(values[:100]), expected[:100])


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 800),
            st.integers(1, 200),
            st.floats(0, 1e6, allow_nan=False),
            st.floats(0, 1e5, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
    ),
    centroids=st.lists(
        st.lists(st.floats(-3, 3, allow_nan=False), min_size=4, max_size=4),
        min_size=1,
        max_size=6,
    ),
)
def test_a_frame_is_scored_as_its_rows_one_by_one(rows, centroids):
    model = toy_model(centroids=centroids)
    frame = pd.DataFrame(rows, columns=FEATURES)
    # the frame's logs by DuckDB, as for large frames; one row's by Python
    with mock.patch.object(score_module, "DUCKDB_LOG_FROM", 1):
        together = score(frame, model)
    one_by_one = [score(row, model) for row in frame.to_dict("records")]
    assert together.segment_id.tolist() == [r["segment_id"] for r in one_by_one]
    assert together.segment_name.tolist() == [r["segment_name"] for r in one_by_one]


# ---- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"frequency": None}, "field 'frequency' is missing"),
        ({"frequency": -2}, "field 'frequency' is -2, below its minimum 1"),
        ({"monetary": "lots"}, "field 'monetary' is 'lots', not a number"),
        ({"monetary": float("inf")}, "field 'monetary' is inf, not finite"),
        ({"recency_days": True}, "field 'recency_days' is True, not a number"),
    ],
)
def test_bad_values_are_named(change, message):
    with pytest.raises(ScoringError, match=message):
        score({**CUSTOMER, **change}, toy_model())


def test_bad_frames_name_field_and_row():
    frame = pd.DataFrame([CUSTOMER] * 3, index=["x", "y", "z"])
    frame["monetary"] = frame["monetary"].astype(object)
    frame.loc["y", "monetary"] = "n/a"
    with pytest.raises(ScoringError, match="row 'y': field 'monetary' is 'n/a'"):
        score(frame, toy_model())
    with pytest.raises(ScoringError, match="field 'frequency' is missing"):
        score(frame.drop(columns="frequency"), toy_model())


def test_unknown_or_broken_models_are_refused(tmp_path):
    with pytest.raises(ScoringError, match="unknown format_version 2"):
        check_model({**toy_model(), "format_version": 2})
    with pytest.raises(ScoringError, match="not a segment model"):
        check_model({"features": []})
    broken = toy_model()
    broken["segments"][0]["centroid"] = [0.0]
    with pytest.raises(ScoringError, match="segment 1 has 1 centroid values"):
        check_model(broken)
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(ScoringError, match="is not JSON"):
        load_model(tmp_path / "x.json")


# ---- the command ------------------------------------------------------------


def run_stream(text: str, model=None, **options) -> str:
    out = io.StringIO()
    score_stream(io.StringIO(text), out, model or toy_model(), **options)
    return out.getvalue()


def test_csv_in_csv_out_other_columns_ignored():
    text = (
        "country,customer_id,recency_days,frequency,monetary,avg_order_value\n"
        '"Paris, France",c1,10,12,3000.5,250.04\n'
        "\n"
        "UK,c2,300,1,20,20\n"
    )
    expected = [
        score(CUSTOMER, toy_model()),
        score(
            {
                "recency_days": 300,
                "frequency": 1,
                "monetary": 20,
                "avg_order_value": 20,
            },
            toy_model(),
        ),
    ]
    lines = run_stream(text).splitlines()
    assert lines[0] == "customer_id,segment_id,segment_name"
    assert lines[1:] == [
        f"{cid},{e['segment_id']},{e['segment_name']}"
        for cid, e in zip(["c1", "c2"], expected, strict=True)
    ]


def test_json_lines_in_json_lines_out_one_at_a_time():
    text = json.dumps({"customer_id": 17, **CUSTOMER, "extra": [1]}) + "\n"
    (line,) = run_stream(text, batch_size=1).splitlines()
    assert json.loads(line) == {"customer_id": 17, **score(CUSTOMER, toy_model())}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "customer_id,recency_days,frequency,monetary\nc1,1,2,3\n",
            "line 1: field 'avg_order_value' is missing from the header",
        ),
        (
            "customer_id,recency_days,frequency,monetary,avg_order_value\n"
            "c1,1,2,3,4\nc2,1,-3,3,4\n",
            "line 3: field 'frequency' is -3, below its minimum 1",
        ),
        (
            '{"customer_id": 1, "recency_days": 1, "frequency": 2, "monetary": 3}\n',
            "line 1: field 'avg_order_value' is missing",
        ),
        (
            '{"customer_id": 1, "recency_days": 1, "frequency": 2, "monetary": 3,'
            ' "avg_order_value": "abc"}\n',
            "line 1: field 'avg_order_value' is 'abc', not a number",
        ),
        (
            '{"recency_days": 1, "frequency": 2, "monetary": 3,'
            ' "avg_order_value": 4}\n',
            "line 1: field 'customer_id' is missing",
        ),
    ],
)
def test_bad_lines_are_named(text, message):
    with pytest.raises(ScoringError, match=message):
        run_stream(text)


def test_the_command_answers_then_stops_at_a_bad_line_without_traceback(tmp_path):
    path = tmp_path / "segment_model.json"
    path.write_text(json.dumps(toy_model()))
    text = (
        "customer_id,recency_days,frequency,monetary,avg_order_value\n"
        "c1,10,12,3000.5,250.04\nc2,1,x,3,4\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "segmentation.score", "--model", str(path)],
        input=text,
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout.splitlines() == [
        "customer_id,segment_id,segment_name",
        f"c1,{score(CUSTOMER, toy_model())['segment_id']},"
        f"{score(CUSTOMER, toy_model())['segment_name']}",
    ]
    assert done.stderr.strip() == (
        "segmentation.score: line 3: field 'frequency' is 'x', not a number"
    )
    (tmp_path / "v2.json").write_text(json.dumps({**toy_model(), "format_version": 2}))
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "segmentation.score",
            "--model",
            str(tmp_path / "v2.json"),
        ],
        input=text,
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=False,
    )
    assert refused.returncode == 2
    assert "unknown format_version 2" in refused.stderr
    assert "Traceback" not in refused.stderr + done.stderr


# ---- the Python score is the SQL assignment ---------------------------------


def warehouse_segments(database: Path) -> tuple[pd.DataFrame, dict]:
    """customer_segments with the standardised features, and the model
    document, as the build stored them."""
    with duckdb.connect(str(database), read_only=True) as connection:
        customers = connection.execute(
            "select * from customer_segments"
            " inner join internal.int_customers__standardised"
            " using (customer_id) order by customer_id"
        ).df()
        (text,) = connection.execute(
            "select model_json from internal.int_segments__scoring_model"
        ).fetchone()
    return customers, json.loads(text)


def assert_scores_match(customers: pd.DataFrame, model: dict) -> None:
    """Every customer's scaled features are the warehouse's to the bit, and
    its segment is customer_segments'."""
    features = [f["name"] for f in model["features"]]
    np.testing.assert_array_equal(
        standardise(customers[features].to_numpy(dtype=float), model),
        customers[[f"{f}_scaled" for f in features]].to_numpy(dtype=float),
    )
    scored = score(customers, model)
    mismatched = customers[scored.segment_id != customers.segment_id]
    assert mismatched.empty, mismatched.head().to_string()
    assert (scored.segment_name == customers.segment_name).all()


def test_the_samples_export_scores_every_customer_as_sql(built_project):
    run_dir, _ = built_project
    customers, stored = warehouse_segments(run_dir / "x.duckdb")
    exported = load_model(run_dir / "exports" / "segment_model.json")
    assert exported == stored
    # written to a temporary file renamed over the old one: none is left
    assert not list((run_dir / "exports").glob("tmp_*"))
    assert_scores_match(customers, exported)
    # one by one too, through the command's reading of CSV text
    text = customers[["customer_id", *FEATURES]].to_csv(index=False)
    lines = run_stream(text, exported).splitlines()[1:]
    assert lines == [
        f"{c},{s},{n}"
        for c, s, n in customers[
            ["customer_id", "segment_id", "segment_name"]
        ].itertuples(index=False)
    ]


def test_the_real_datas_model_scores_every_customer_as_sql(online_retail):
    customers, model = warehouse_segments(online_retail.database)
    assert len(customers) > 4000
    assert_scores_match(customers, model)


# ---- the benchmark's figure -------------------------------------------------


def test_the_benchmark_times_scoring_and_reports_the_target(tmp_path):
    from bench.measure import run_score
    from bench.render import score_section
    from bench.summary import score_summary

    run = run_score(20_000, tmp_path)
    assert run["rc"] == 0, (tmp_path / "output.log").read_text()
    assert run["customers"] == 20_000 and run["segments"] == 10
    results = {
        "started": "today",
        "machine": {"load_start": 0.5, "cores": 2},
        "score": score_summary([run]),
    }
    (text,) = [line for line in score_section(results) if line]
    assert "**(f) score 20,000 customers**" in text
    assert text.endswith(
        "target under 2 s: met. Load average 0.5 at the start on 2 cores."
    )
    results["score"]["score_s"] = 2.5
    assert "target under 2 s: NOT met" in score_section(results)[-1]
