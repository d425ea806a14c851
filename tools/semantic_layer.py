"""Ask the semantic layer (dbt MetricFlow's ``mf query``) about a finished run.

``mf`` comes with the dev/BI extra (requirements-bi.txt, installed by make
install-dev). It reads the semantic manifest from
``<project>/target/semantic_manifest.json``, a fixed path, while every run of
the tests writes its target to a directory of its own; so ``mf`` runs in a
small project directory beside the run: the project's dbt_project.yml and
profiles.yml, and the run's semantic manifest. The database is the one
``SEGMENTATION_DB`` names, as for dbt; the manifest names its tables with
the database's file name as catalog (``x.main.customer_segments`` for
x.duckdb), so the file queried must have the name the run's had.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from tools.dbt_runner import PROJECT_DIR, isolation_env

# mf of the running Python's environment, as tools.dbt_runner finds dbt
_MF_BESIDE_PYTHON = Path(sys.executable).with_name("mf")
MF = str(_MF_BESIDE_PYTHON) if _MF_BESIDE_PYTHON.exists() else "mf"


def mf_project(manifest: Path, directory: Path) -> Path:
    """A project directory ``mf`` can run in: links to the project's
    dbt_project.yml and profiles.yml, and a copy of ``manifest`` (a run's
    target/semantic_manifest.json) as its target/semantic_manifest.json.

    Parameters
    ----------
    manifest : Path
        The semantic manifest a dbt parse or build wrote.
    directory : Path
        Where to lay out the project (created; reused when it exists).

    Returns
    -------
    Path
        ``directory``.
    """
    if not manifest.is_file():
        raise FileNotFoundError(
            f"no semantic manifest at {manifest}: run dbt parse or dbt build first"
        )
    (directory / "target").mkdir(parents=True, exist_ok=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        link = directory / name
        if not link.exists():
            link.symlink_to(PROJECT_DIR / name)
    shutil.copy2(manifest, directory / "target" / "semantic_manifest.json")
    return directory


def mf_query(
    project: Path,
    database: Path,
    metrics: Sequence[str],
    group_by: Sequence[str],
) -> pd.DataFrame:
    """``mf query --metrics ... --group-by ...`` on ``database``, as a frame.

    Parameters
    ----------
    project : Path
        A directory :func:`mf_project` laid out; mf's CSV output and logs go
        there too.
    database : Path
        The DuckDB file to query (mf opens it as dbt does: not read-only, so
        no other process may hold it).
    metrics, group_by : sequence of str
        Metric names and the dimensions to group by (e.g.
        ``segment__segment_name``).

    Returns
    -------
    pandas.DataFrame
        One column per group-by dimension, then one per metric.
    """
    if shutil.which(MF) is None:
        raise FileNotFoundError(
            f"{MF} not found: dbt-metricflow is the dev/BI extra "
            "(requirements-bi.txt): run make install-dev"
        )
    out = project / "mf_query.csv"
    out.unlink(missing_ok=True)
    command = [
        MF,
        "query",
        "--metrics",
        ",".join(metrics),
        "--group-by",
        ",".join(group_by),
        "--csv",
        str(out),
    ]
    env = {
        **os.environ,
        **isolation_env(project, database),
        "DBT_PROJECT_DIR": str(project),
        "DBT_PROFILES_DIR": str(project),
    }
    result = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(
            f"mf query failed ({result.returncode}):\n"
            f"{(result.stdout + result.stderr)[-4000:]}"
        )
    return pd.read_csv(out)
