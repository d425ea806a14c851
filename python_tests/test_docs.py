"""The shared definitions of models/*.md agree with the seeds they describe.

Each cleaning outcome is described twice on purpose: in seed
exclusion_reasons (the text transaction_audit shows) and in a docs block
(the text the docs site shows). These tests fail when the two drift apart.
"""

import re

import pandas as pd

from tools.dbt_runner import PROJECT_DIR

DOCS_BLOCK = re.compile(
    r"{%-?\s*docs\s+(\w+)\s*-?%}(.*?){%-?\s*enddocs\s*-?%}", re.DOTALL
)
PREFIX = "cleaning_outcome_"


def docs_blocks() -> dict[str, str]:
    """Every docs block under models/, by name, whitespace collapsed."""
    blocks = {}
    for path in sorted((PROJECT_DIR / "models").rglob("*.md")):
        for name, text in DOCS_BLOCK.findall(path.read_text()):
            assert name not in blocks, f"docs block {name} defined twice"
            blocks[name] = " ".join(text.split())
    return blocks


def outcomes() -> pd.DataFrame:
    """Seed exclusion_reasons: outcome, precedence, description."""
    return pd.read_csv(
        PROJECT_DIR / "seeds/exclusion_reasons.csv", keep_default_na=False
    )


def test_each_outcome_block_says_what_the_seed_says():
    blocks = docs_blocks()
    seed = outcomes()
    documented = {n.removeprefix(PREFIX) for n in blocks if n.startswith(PREFIX)}
    assert documented == set(seed["outcome"])
    for row in seed.itertuples():
        assert blocks[PREFIX + row.outcome] == " ".join(row.description.split()), (
            f"seeds/exclusion_reasons.csv and docs block {PREFIX}{row.outcome} "
            "describe the outcome differently: edit both"
        )


def test_the_audit_mart_lists_every_outcome_in_precedence_order():
    text = (PROJECT_DIR / "models/marts/transaction_audit.yml").read_text()
    listed = re.findall(r'doc\("' + PREFIX + r'(\w+)"\)', text)
    assert listed == list(outcomes().sort_values("precedence")["outcome"])
