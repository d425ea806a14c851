"""Shared fixtures; the dbt runner itself lives in dbt_runner.py."""

from __future__ import annotations

import pytest

from python_tests.dbt_runner import run_dbt


@pytest.fixture
def dbt(tmp_path):
    """``dbt(args, vars=None)``: run dbt isolated in this test's tmp_path."""

    def runner(args, vars=None, **kwargs):
        return run_dbt(args, tmp_path / "dbt", vars=vars, **kwargs)

    return runner
