"""Reruns and readers: a second build gives identical marts; a build killed
half way leaves the previous marts readable and complete and the next build
succeeds; a reader holding the DuckDB file stops the build with a message
about the lock and changes nothing; and BI tools reading the Parquet exports
never block the build nor see a half-written file.

Each test builds on a copy of one complete build of a small sample
(fixture built_project).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from pathlib import Path

import duckdb

from python_tests.conftest import MODELS_ONLY, copy_run_dir
from tools.dbt_runner import PROJECT_DIR, dbt_command, dbt_env, run_dbt
from tools.marts import MARTS, marts_fingerprint


def snapshot(database: Path, exclude: str = "") -> dict[str, tuple[int, str]]:
    """Per mart: row count and a hash of every row, in a fixed order;
    ``exclude`` names columns (comma-separated) left out where a mart has
    them."""
    return marts_fingerprint(database, exclude=[c for c in exclude.split(",") if c])


def rerun_once(run_dir: Path, vars: dict) -> None:
    """The first rerun: it keeps the segments and says so in naming_verdict
    (the first run said "named afresh: first run"); nothing else changes.
    From then on a rerun on the same input gives the same marts and bytes.
    The rerun's log is removed, so that a test reads only its own runs'."""
    database = run_dir / "x.duckdb"
    first_run = snapshot(database, exclude="naming_verdict")
    rerun = run_dbt(["run"], run_dir, vars)
    assert rerun.returncode == 0, rerun.output[-5000:]
    assert snapshot(database, exclude="naming_verdict") == first_run
    with duckdb.connect(str(database), read_only=True) as connection:
        (verdict,) = connection.execute(
            "select naming_verdict from cluster_diagnostics where is_selected"
        ).fetchone()
    assert verdict.startswith("kept the previous run's ids and names")
    (run_dir / "logs" / "dbt.log").unlink()


def export_files(folder: Path) -> dict[str, bytes]:
    return {mart: (folder / f"{mart}.parquet").read_bytes() for mart in MARTS}


def on_copy(built_project, target: Path) -> tuple[Path, dict]:
    """A copy of the complete build, and vars that export into the copy."""
    built, vars = built_project
    run_dir = copy_run_dir(built, target)
    return run_dir, {**vars, "export_path": str(run_dir / "exports")}


# ---- 4. reruns, and 5. BI tools on the Parquet exports ---------------------


def test_rebuild_is_identical_while_bi_reads_the_parquet_exports(
    built_project, tmp_path: Path
) -> None:
    run_dir, vars = on_copy(built_project, tmp_path / "run")
    database, exports = run_dir / "x.duckdb", run_dir / "exports"
    rerun_once(run_dir, vars)
    before, files_before = snapshot(database), export_files(exports)
    rows = {mart: count for mart, (count, _) in before.items()}

    reads: list[tuple[str, int]] = []
    errors: list[str] = []
    stop = threading.Event()

    def bi_tool() -> None:
        """Reads every export over and over, without the DuckDB file."""
        with duckdb.connect() as connection:  # in memory
            while not stop.is_set():
                for mart in MARTS:
                    path = str(exports / f"{mart}.parquet")
                    try:
                        count = connection.execute(
                            "select count(*) from read_parquet(?)", [path]
                        ).fetchone()[0]
                    except duckdb.Error as error:
                        errors.append(f"{mart}: {error}")
                    else:
                        reads.append((mart, count))

    reader = threading.Thread(target=bi_tool)
    reader.start()
    try:
        run = run_dbt(["build", *MODELS_ONLY], run_dir, vars)
    finally:
        stop.set()
        reader.join()

    assert run.returncode == 0, run.output[-5000:]
    assert "export_parquet: writing" in run.output
    # the BI tool never failed, never saw a partial file, and did not block
    assert errors == []
    assert len(reads) >= len(MARTS)
    assert all(count == rows[mart] for mart, count in reads)
    # the same input gives the same marts, and the same export bytes
    assert snapshot(database) == before
    files_after = export_files(exports)
    for mart in MARTS:
        assert files_after[mart] == files_before[mart], mart
    assert not list(exports.glob("tmp_*"))


# ---- 4. a build killed half way ---------------------------------------------


def test_killed_build_leaves_previous_marts_and_next_build_succeeds(
    built_project, tmp_path: Path
) -> None:
    run_dir, vars = on_copy(built_project, tmp_path / "run")
    database, exports = run_dir / "x.duckdb", run_dir / "exports"
    rerun_once(run_dir, vars)
    before, files_before = snapshot(database), export_files(exports)

    # heavier clustering, so the kill lands while the Python model runs
    heavy = {**vars, "k_range": [2, 10], "n_init": 10, "stability_resamples": 10}
    build = subprocess.Popen(
        dbt_command(["build", *MODELS_ONLY], run_dir, heavy),
        cwd=PROJECT_DIR,
        env={**dbt_env(run_dir), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    started = False
    try:
        for line in build.stdout:
            if "START python table model internal.int_segments__k_evaluation" in line:
                started = True
                os.killpg(build.pid, signal.SIGKILL)
                break
    finally:
        if build.poll() is None and not started:
            os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
        build.stdout.close()
    assert started, "the build never reached int_segments__k_evaluation"
    assert build.returncode == -signal.SIGKILL
    log = (run_dir / "logs" / "dbt.log").read_text()
    assert (
        "OK created python table model internal.int_segments__k_evaluation" not in log
    )

    # the previous marts are all there, complete, and so are their exports
    assert snapshot(database) == before
    files_after = export_files(exports)
    for mart in MARTS:
        if mart != "transaction_audit":  # rebuilt before the kill
            assert files_after[mart] == files_before[mart], mart

    run = run_dbt(["build", *MODELS_ONLY], run_dir, vars)
    assert run.returncode == 0, run.output[-5000:]
    assert snapshot(database) == before


# ---- 5. a reader holding the DuckDB file ------------------------------------


def test_reader_holding_the_database_stops_the_build_with_a_lock_message(
    built_project, tmp_path: Path
) -> None:
    run_dir, vars = on_copy(built_project, tmp_path / "run")
    database, exports = run_dir / "x.duckdb", run_dir / "exports"
    before, files_before = snapshot(database), export_files(exports)

    with duckdb.connect(str(database), read_only=True) as bi_tool:
        assert bi_tool.execute("select count(*) from customer_segments").fetchone()[0]
        run = run_dbt(["build", *MODELS_ONLY], run_dir, vars)

    assert run.returncode != 0
    # DuckDB names the file and the process that holds it
    assert f'Could not set lock on file "{database}"' in run.output
    assert "Conflicting lock is held in" in run.output
    assert f"(PID {os.getpid()})" in run.output
    # nothing was touched: the reader saw, and still sees, the complete marts
    assert snapshot(database) == before
    assert export_files(exports) == files_before
