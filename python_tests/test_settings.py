"""The clustering vars are checked, and a bad one is named in the error."""

import json

import pytest

from segmentation.settings import SegmentationConfigError, parse_settings

BASE = {
    "segment_features": ["recency_days", "frequency", "monetary"],
    "n_segments": "auto",
    "k_range": [2, 6],
}


def settings_with(**changes):
    return parse_settings(json.dumps({**BASE, **changes}))


def test_defaults_give_the_k_range():
    settings = settings_with()
    assert settings.n_segments is None
    assert settings.k_values == [2, 3, 4, 5, 6]
    assert settings.features == ("recency_days", "frequency", "monetary")


def test_a_fixed_number_of_segments_is_the_only_k():
    assert settings_with(n_segments=4).k_values == [4]
    assert settings_with(n_segments="5").k_values == [5]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"n_segments": "many"}, "n_segments must be auto or a whole number"),
        ({"n_segments": 2.5}, "n_segments must be auto or a whole number"),
        ({"n_segments": 0}, "n_segments must be auto or a whole number"),
        ({"k_range": [6, 2]}, "k_range is upside down"),
        ({"k_range": [1, 4]}, "k_range must be at least 2"),
        ({"k_range": "2-10"}, "k_range must be a list of two whole numbers"),
        ({"segment_features": []}, "segment_features must be a non-empty list"),
        ({"segment_features": "monetary"}, "segment_features must be a non-empty"),
        ({"segment_features": ["monetary", "monetary"]}, "lists a feature twice"),
        ({"min_segment_share": 1.5}, "min_segment_share must be a number between"),
        ({"min_segment_share": "lots"}, "min_segment_share must be a number between"),
        ({"naming_scheme": "fancy"}, "naming_scheme must be rfm or action"),
        ({"n_init": 0}, "n_init must be at least 1"),
        ({"random_state": True}, "random_state must be a whole number"),
        ({"segment_match_tolerance": 2}, "segment_match_tolerance must be a number"),
        ({"segment_match_tolerance": "x"}, "segment_match_tolerance must be a number"),
        ({"max_name_fit": -0.1}, "max_name_fit must be a number between"),
    ],
)
def test_a_bad_var_is_named(changes, message):
    with pytest.raises(SegmentationConfigError, match=message):
        settings_with(**changes)
