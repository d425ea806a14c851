"""The clustering vars reach Python typed, and a missing one is named.

The values themselves are checked once, by validate_vars() in on-run-start
(bounds: test_failure_modes.py, test_bad_vars_are_all_named_before_anything_runs);
Python converts what dbt passes and trusts it.
"""

import json
import re
from pathlib import Path

import pytest

from segmentation.settings import (
    SETTINGS_VARS,
    SegmentationConfigError,
    parse_settings,
)
from tools.var_schema import PROJECT_DIR, load_var_schema

SCHEMA = load_var_schema()
MODELS_YAML = PROJECT_DIR / "models/intermediate/segmentation/_segmentation__models.yml"


def schema_defaults(**changes) -> dict:
    """What the models' YAML passes when every var keeps its default."""
    values = {name: SCHEMA[name]["default"] for name in SETTINGS_VARS}
    return {**values, "input_fingerprint": "abc", **changes}


def test_defaults_give_the_k_range():
    settings = parse_settings(json.dumps(schema_defaults()))
    assert settings.n_segments is None
    assert settings.k_values == list(range(2, 11))
    assert settings.features == tuple(SCHEMA["segment_features"]["default"])
    assert settings.lower_is_better == ("recency_days",)
    assert settings.min_segment_share == SCHEMA["min_segment_share"]["default"]
    assert settings.input_fingerprint == "abc"


def test_a_fixed_number_of_segments_is_the_only_k():
    assert parse_settings(schema_defaults(n_segments=4)).k_values == [4]


@pytest.mark.parametrize("name", [*SETTINGS_VARS, "input_fingerprint"])
def test_a_missing_var_is_named(name):
    values = schema_defaults()
    del values[name]
    with pytest.raises(SegmentationConfigError, match=f"lacks {name}:"):
        parse_settings(values)


def test_the_models_pass_exactly_the_vars_python_reads():
    """segmentation_settings in the models' YAML renders these keys, each
    from the var of the same name, and each is a declared var."""
    text = Path(MODELS_YAML).read_text()
    block = text.split("segmentation_settings: &segmentation_settings", 1)[1]
    block = block.split("}) }}", 1)[0]
    passed = re.findall(r"^ {12}'(\w+)': var\('(\w+)'\)", block, re.MULTILINE)
    assert all(key == name for key, name in passed)
    assert [key for key, _ in passed] == list(SETTINGS_VARS)
    assert "'input_fingerprint':" in block
    assert set(SETTINGS_VARS) <= set(SCHEMA)
