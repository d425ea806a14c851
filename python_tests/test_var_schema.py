"""One declaration per var: macros/validation/var_schema.sql.

dbt_project.yml (where dbt reads the defaults) and the README's var table
(printed by scripts/var_table.py) must agree with it, and no SQL or YAML
gives a var a second default with var('name', default).
"""

import re

import pytest

from scripts.var_table import README, readme_table, var_table
from tools.var_schema import PROJECT_DIR, load_project_vars, load_var_schema

SCHEMA = load_var_schema()
PROJECT_VARS = load_project_vars()
TYPES = {
    "path": set(),
    "text": set(),
    "boolean": set(),
    "choice": {"choices"},
    "number": {"min", "max", "below"},
    "whole_number": {"min", "max"},
    "whole_number_or_auto": {"min", "max"},
    "whole_number_or_all": {"min", "max"},
    "whole_number_pair": {"min", "max"},
    "number_pair": {"min", "max"},
    "list": set(),
    "mapping": set(),
    "date_or_null": set(),
    "table_or_null": set(),
}


def test_dbt_project_declares_exactly_the_schema_vars_in_its_order():
    assert list(PROJECT_VARS) == list(SCHEMA)


@pytest.mark.parametrize("name", list(SCHEMA))
def test_dbt_project_default_is_the_schema_default(name):
    assert PROJECT_VARS[name] == SCHEMA[name]["default"]
    assert type(PROJECT_VARS[name]) is type(SCHEMA[name]["default"])


@pytest.mark.parametrize("name", list(SCHEMA))
def test_each_entry_has_a_known_type_and_only_its_bounds(name):
    spec = SCHEMA[name]
    assert spec["type"] in TYPES
    assert spec["meaning"].strip()
    extra = set(spec) - {"default", "type", "meaning", "default_in_table"}
    assert extra <= TYPES[spec["type"]], extra
    if spec["type"] == "choice":
        assert spec["default"] in spec["choices"]


def test_readme_var_table_is_printed_from_the_schema():
    text = README.read_text(encoding="utf-8")
    first, end = readme_table(text)
    assert text.splitlines()[first:end] == var_table(SCHEMA), (
        "README var table is stale: run .venv/bin/python -m scripts.var_table --write"
    )


def test_no_var_has_a_second_default_in_code():
    fallback = re.compile(r"\bvar\(\s*['\"]\w+['\"]\s*,")
    found = [
        f"{path.relative_to(PROJECT_DIR)}: {match.group(0)}"
        for folder in ("models", "macros", "analyses", "tests", "seeds")
        for path in sorted((PROJECT_DIR / folder).rglob("*"))
        if path.suffix in {".sql", ".yml", ".py"}
        for match in fallback.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
