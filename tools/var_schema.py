"""The var schema (macros/validation/var_schema.sql), read from Python.

The schema is YAML inside a dbt macro, because the Jinja check
``validate_vars()`` is what reads it. Python evaluates the very same macro
with jinja2, giving it dbt's two functions it uses (``fromyaml``, and
``return``, which dbt implements by raising), so that pytest and the README
table see exactly what dbt sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import yaml

from segmentation.settings import SETTINGS_VARS, SegmentationSettings, parse_settings

PROJECT_DIR = Path(__file__).resolve().parents[1]
SCHEMA_FILE = PROJECT_DIR / "macros" / "validation" / "var_schema.sql"


class _Returned(Exception):  # noqa: N818 - control flow, as dbt's return()
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


def _return(value: Any) -> None:
    raise _Returned(value)


def load_var_schema(path: Path = SCHEMA_FILE) -> dict[str, dict[str, Any]]:
    """Every var's entry (default, type, bounds, meaning), in schema order.

    Parameters
    ----------
    path : Path
        The macro file that defines ``var_schema()``.

    Returns
    -------
    dict
        var name -> its entry.

    Examples
    --------
    >>> schema = load_var_schema()
    >>> schema["n_init"]["type"], schema["n_init"]["min"]
    ('whole_number', 1)
    """
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    module = environment.from_string(path.read_text(encoding="utf-8")).make_module(
        {"fromyaml": yaml.safe_load, "return": _return}
    )
    try:
        module.var_schema()
    except _Returned as returned:
        return returned.value
    raise ValueError(f"{path}: var_schema() returned nothing")


def load_project_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The ``vars:`` of dbt_project.yml, with their defaults.

    Examples
    --------
    >>> load_project_vars()["k_range"]
    [2, 10]
    """
    text = (project_dir / "dbt_project.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["vars"]


def default_settings(**changes: Any) -> SegmentationSettings:
    """Settings as the Python models get them when every var keeps its
    schema default, except ``changes`` (var name -> value); for tests and
    scripts that run the clustering outside dbt.

    Examples
    --------
    >>> default_settings(k_range=[2, 4], input_fingerprint="a").k_values
    [2, 3, 4]
    """
    schema = load_var_schema()
    values = {name: schema[name]["default"] for name in SETTINGS_VARS}
    return parse_settings({**values, "input_fingerprint": None, **changes})
