"""The rules of "the same answers on both engines" (tools.engine_comparison),
on small frames: what passes and what is reported."""

from __future__ import annotations

import pandas as pd

from tools.engine_comparison import FLOAT_TOLERANCE, compare_frames


def segments(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "customer_id": ["1", "2", "3"],
            "segment_id": [1, 2, 2],
            "segment_name": ["Champions", "Hibernating", "Hibernating"],
            "monetary": [100.25, 20.0, 5.5],
            "distance_to_centroid": [0.5, 1.25, 2.0],
        }
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


def test_identical_frames_are_the_same_in_any_row_order():
    result = compare_frames("customer_segments", segments(), segments().iloc[::-1])
    assert result.same, result.problems
    assert result.largest_differences == {"monetary": 0.0, "distance_to_centroid": 0.0}


def test_money_may_differ_by_a_cent_and_no_more():
    within = compare_frames(
        "customer_segments", segments(), segments(monetary=[100.26, 20.0, 5.5])
    )
    assert within.same, within.problems
    beyond = compare_frames(
        "customer_segments", segments(), segments(monetary=[100.27, 20.0, 5.5])
    )
    assert not beyond.same
    assert beyond.problems[0].startswith("monetary: 1 of 3 rows differ")


def test_other_numbers_may_differ_by_the_stated_tolerance_only():
    # relative to the value: 2.0 may move by 1e-6 (a rounding unit) + 2e-6
    nudged = [0.5, 1.25, 2.0 + 2.5 * FLOAT_TOLERANCE]
    assert compare_frames(
        "customer_segments", segments(), segments(distance_to_centroid=nudged)
    ).same
    moved = [0.5, 1.25, 2.0001]
    result = compare_frames(
        "customer_segments", segments(), segments(distance_to_centroid=moved)
    )
    assert not result.same
    assert "distance_to_centroid" in result.problems[0]


def test_a_different_segment_or_name_is_reported_with_the_customer():
    result = compare_frames(
        "customer_segments", segments(), segments(segment_id=[1, 2, 1])
    )
    assert result.problems == [
        "segment_id: 1 of 3 rows differ, e.g. {'customer_id': '3'}: 2 vs 1"
    ]


def test_missing_and_repeated_keys_are_reported():
    missing = compare_frames("customer_segments", segments(), segments().iloc[:2])
    assert missing.problems == ["1 rows only on duckdb, e.g. [{'customer_id': '3'}]"]
    repeated = compare_frames(
        "customer_segments", segments(), segments(customer_id=["1", "1", "3"])
    )
    assert repeated.problems == ["spark: 1 rows repeat a key ['customer_id']"]


def test_different_columns_are_reported_before_anything_else():
    result = compare_frames(
        "customer_segments", segments(), segments().drop(columns="monetary")
    )
    assert result.problems[0].startswith("columns differ")
