"""What a dbt user types first: a misspelt var and a database without seeds.

Both stop the run in on-run-start with one sentence that says what to do
(macros/validation/validate_var_names.sql, assert_seeds_loaded.sql).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.dbt_runner import PROJECT_DIR, run_dbt

#: vars of a quick but complete build (as conftest.QUICK_VARS)
QUICK_VARS = {
    "k_range": [2, 4],
    "n_init": 2,
    "stability_resamples": 2,
    "history_periods": 3,
}

#: prints the one number each query (argv[2:]) returns, read-only
VIEW_READER = """
import sys, duckdb
with duckdb.connect(sys.argv[1], read_only=True) as connection:
    for query in sys.argv[2:]:
        print(connection.execute(query).fetchone()[0])
"""


def project_var_names() -> list[str]:
    """The keys of vars: in dbt_project.yml, read as the user wrote them."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return list(project["vars"])


@pytest.mark.parametrize("command", ["run", "build", "seed", "test"])
def test_misspelt_var_stops_the_run_naming_the_closest(
    command: str, tmp_path: Path
) -> None:
    run = run_dbt([command], tmp_path, vars={"n_segment": 3})
    assert run.returncode != 0
    assert "Unknown var 'n_segment' (did you mean 'n_segments'?)" in run.output, (
        run.output[-3000:]
    )
    assert "START" not in run.output  # nothing was built before it stopped
    # the known vars are dbt_project.yml's own, read at run time
    known = run.output.split("Known vars: ", 1)[1].splitlines()[0].split(", ")
    assert set(project_var_names()) <= set(known)


def test_var_far_from_every_known_var_gets_the_list_only(tmp_path: Path) -> None:
    run = run_dbt(["seed"], tmp_path, vars={"zebra": 1, "n_segments": 3})
    assert run.returncode != 0
    assert "Unknown var 'zebra'\n" in run.output, run.output[-3000:]
    assert "'n_segments'" not in run.output  # a known var is not reported


def test_fresh_database_run_says_to_load_the_seeds(tmp_path: Path) -> None:
    run = run_dbt(["run"], tmp_path)
    assert run.returncode != 0
    assert (
        "The seeds are not loaded in " in run.output
        and "(exclusion_reasons, lifecycle_stages, segment_names_action, "
        "segment_names_rfm): run "
        "'dbt seed' first, or 'dbt build' (which loads them)."
        in run.output
    ), run.output[-3000:]
    assert "Traceback" not in run.output
    assert "does not exist" not in run.output


def test_fresh_database_build_with_correct_vars_succeeds(tmp_path: Path) -> None:
    # top_n_customers is read only by an analysis: still a known var
    vars = {**QUICK_VARS, "n_segments": 3, "top_n_customers": 5}
    run = run_dbt(["build"], tmp_path, vars=vars)
    assert run.returncode == 0, run.output[-3000:]
    assert run.query("select count(distinct segment_id) from segment_profiles") == [
        (3,)
    ]
    # the views read the bundled sample (a relative path) from any directory,
    # as a BI tool started elsewhere opens them
    views = [
        "select count(*) from internal.stg_transactions__lines",
        "select count(*) from internal.int_lines__checked",
    ]
    elsewhere = subprocess.run(
        [sys.executable, "-c", VIEW_READER, str(run.database), *views],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert elsewhere.returncode == 0, elsewhere.stderr[-3000:]
    raw = run.query("select sum(line_count) from transaction_audit")[0][0]
    assert elsewhere.stdout.split() == [str(raw), str(raw)]
    # seeds now loaded: dbt run alone passes both checks
    run = run_dbt(["run", "--select", "transaction_audit"], tmp_path, vars=vars)
    assert run.returncode == 0, run.output[-3000:]
