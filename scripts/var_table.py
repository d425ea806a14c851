"""Print the README's var table from the var schema.

Every var's default and meaning are declared once, in
macros/validation/var_schema.sql; the table under "## Configuration (vars)"
in README.md is printed from it (python_tests/test_var_schema.py fails when
they differ).

Usage::

    .venv/bin/python -m scripts.var_table            # print the table
    .venv/bin/python -m scripts.var_table --write    # replace it in README.md
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tools.var_schema import PROJECT_DIR, load_var_schema

README = PROJECT_DIR / "README.md"
SECTION = "## Configuration (vars)"
HEADER = ["| var | default | meaning |", "| --- | --- | --- |"]


def default_text(value: Any) -> str:
    """A default as YAML flow text, the way one writes it in --vars.

    Examples
    --------
    >>> default_text(None), default_text(False), default_text(0.02)
    ('null', 'false', '0.02')
    >>> default_text(["recency_days", "frequency"])
    '[recency_days, frequency]'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(default_text(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{key}: {default_text(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    return str(value)


def table_row(name: str, spec: dict[str, Any]) -> str:
    """One var's row: name, default (or its default_in_table) and meaning.

    Examples
    --------
    >>> table_row("n_init", {"default": 10, "meaning": "K-Means restarts"})
    '| `n_init` | `10` | K-Means restarts |'
    """
    if "default_in_table" in spec:
        default = spec["default_in_table"]
    else:
        default = f"`{default_text(spec['default'])}`"
    meaning = " ".join(spec["meaning"].split()).replace("|", "\\|")
    return f"| `{name}` | {default} | {meaning} |"


def var_table(schema: dict[str, dict[str, Any]]) -> list[str]:
    """The whole table, header first, one row per var in schema order."""
    return HEADER + [table_row(name, spec) for name, spec in schema.items()]


def readme_table(text: str) -> tuple[int, int]:
    """(first, end) line indexes of the var table in the README's text."""
    lines = text.splitlines()
    start = lines.index(SECTION)
    first = next(i for i in range(start, len(lines)) if lines[i] == HEADER[0])
    end = next(
        (i for i in range(first, len(lines)) if not lines[i].startswith("|")),
        len(lines),
    )
    return first, end


def write_table(path: Path, table: list[str]) -> None:
    """Replace the var table in the README, and nothing else."""
    text = path.read_text(encoding="utf-8")
    first, end = readme_table(text)
    lines = text.splitlines()
    lines[first:end] = table
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", help=f"replace the table in {README.name}"
    )
    args = parser.parse_args(argv)
    table = var_table(load_var_schema())
    if args.write:
        write_table(README, table)
    else:
        print("\n".join(table))


if __name__ == "__main__":
    main()
