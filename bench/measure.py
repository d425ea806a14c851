"""Measuring: every benchmark run as its own subprocess, timed for wall time
and peak RSS, and what it reports (dbt's per-node times, customer counts).

The dbt runs are built by tools/dbt_runner.py, the one way tests and the
benchmark run dbt; only the timer around them is the benchmark's.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import duckdb

from tools.dbt_runner import PROJECT_DIR, dbt_command, isolation_env

BENCH = Path(__file__).resolve().parent
ROOT = PROJECT_DIR
GNU_TIME = Path("/usr/bin/time")
PYTHON = sys.executable
N_SEGMENTS = 4
# pandas peak memory per input line, measured here at 10M lines (3.47 GB)
PANDAS_BYTES_PER_LINE = 360
GIB = 2**30

# Fallback when /usr/bin/time is missing: a fresh Python that runs the command
# and reports the peak RSS of its waited-for children (KiB on Linux).
RUSAGE_WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(f"{wall:.2f} {peak}\\n")
sys.exit(rc)
"""

VARIANTS = {
    "models": "dbt build, models only",
    "tests": "dbt build + tests",
    "products": "models + distinct_products",
    "warm": "models only, parsed before",
    "floor": "floor (DuckDB + sklearn)",
    "pandas": "pandas notebook",
}
#: The variants that are `dbt build` runs of the project (see run_project).
DBT_VARIANTS = ("models", "tests", "products", "warm")
#: The variants that build models only (no data or unit tests).
MODELS_ONLY = ("models", "products", "warm")
#: (e): runs that do not depend on the data (see run_fixed_cost).
FIXED_COST_VARIANTS = {
    "dbt_cold": "trivial dbt project",
    "dbt_warm": "trivial dbt project, warm",
    "floor_startup": "floor start-up (imports)",
}
FIXED_COST_PROJECT = BENCH / "dbt_fixed_cost"
FLOOR_IMPORTS = "import duckdb, numpy, sklearn.cluster"


# extra environment for every run (--env KEY=VALUE)
EXTRA_ENV: dict[str, str] = {}


def measure(cmd: list[str], workdir: Path, env: dict | None = None) -> dict:
    """Run ``cmd`` from the project root; wall time (s) and peak RSS (KiB)."""
    timefile = workdir / "time.txt"
    if GNU_TIME.exists():
        full = [str(GNU_TIME), "-f", "%e %M", "-o", str(timefile), *cmd]
    else:
        full = [PYTHON, "-c", RUSAGE_WRAPPER, str(timefile), *cmd]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with open(workdir / "output.log", "w") as log:
        rc = subprocess.run(
            full,
            cwd=ROOT,
            env={**os.environ, **EXTRA_ENV, **(env or {})},
            stdout=log,
            stderr=log,
        ).returncode
    elapsed = time.perf_counter() - started
    try:  # GNU time puts "Command exited with non-zero status" lines first
        wall, peak = timefile.read_text().split("\n")[-2].split()
        wall, peak = float(wall), int(peak)
    except (OSError, ValueError, IndexError):
        wall, peak = elapsed, None
    return {
        "rc": rc,
        "wall_s": wall,
        "peak_kib": peak,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def measure_dbt(
    command: list[str],
    workdir: Path,
    database: str,
    vars: dict | None = None,
    project: list[str] | None = None,
    warm: bool = False,
) -> dict:
    """Time `dbt <command>` isolated in workdir (database workdir/database,
    its own target and log path; see tools/dbt_runner.py).

    ``command`` is the subcommand with its own flags (selection); ``vars``
    and ``project`` (--project-dir and --profiles-dir of another project)
    are what a `dbt parse` of the same project needs too. With ``warm``, an
    untimed `dbt parse` into the same target runs first: the state of every
    run after the first, where target/ holds the parsed project
    (partial_parse.msgpack) for the same vars.
    """
    project = project or []
    env = isolation_env(workdir, workdir / database)
    if warm:
        prepared = measure(
            dbt_command(["parse", *project], workdir, vars), workdir, env
        )
        if prepared["rc"] != 0:
            return prepared
    return measure(dbt_command([*command, *project], workdir, vars), workdir, env)


def run_project(variant: str, data: Path | None, workdir: Path) -> dict:
    """`dbt build` of the project on a fresh database, target and log path."""
    dbt_vars = {"n_segments": N_SEGMENTS}
    if data is not None:
        dbt_vars["transactions_path"] = str(data)
    if variant == "products":
        dbt_vars["count_distinct_products"] = True
    command = ["build"]
    if variant in MODELS_ONLY:
        command += [
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
        ]
    db = workdir / "segmentation.duckdb"
    result = measure_dbt(
        command, workdir, db.name, vars=dbt_vars, warm=variant == "warm"
    )
    result.update(dbt_details(workdir / "target" / "run_results.json"))
    if result["rc"] == 0:
        try:
            with duckdb.connect(str(db), read_only=True) as con:
                result["customers"] = con.execute(
                    "select count(*) from customer_segments"
                ).fetchone()[0]
                result["segment_sizes"] = [
                    n
                    for (n,) in con.execute(
                        "select count(*) from customer_segments "
                        "group by segment_id order by segment_id"
                    ).fetchall()
                ]
        except duckdb.Error as error:
            result["customers_error"] = str(error)
    return result


def dbt_details(run_results: Path) -> dict:
    """dbt's own elapsed time and per-node execution times."""
    try:
        data = json.loads(run_results.read_text())
    except (OSError, ValueError):
        return {}
    nodes = {
        r["unique_id"]: {"time_s": round(r["execution_time"], 3), "status": r["status"]}
        for r in data.get("results", [])
    }
    return {"dbt_elapsed_s": round(data.get("elapsed_time", 0.0), 3), "nodes": nodes}


def run_fixed_cost(variant: str, workdir: Path) -> dict:
    """(e): what a run costs before any data. dbt_cold / dbt_warm: `dbt run`
    of bench/dbt_fixed_cost on a fresh database and target (warm: after an
    untimed `dbt parse`, as for (a'')); floor_startup: a Python that only
    imports what bench/floor.py imports."""
    if variant == "floor_startup":
        return measure([PYTHON, "-c", FLOOR_IMPORTS], workdir)
    project = [
        "--project-dir",
        str(FIXED_COST_PROJECT),
        "--profiles-dir",
        str(FIXED_COST_PROJECT),
    ]
    return measure_dbt(
        ["run"],
        workdir,
        "fixed_cost.duckdb",
        project=project,
        warm=variant == "dbt_warm",
    )


def run_script(script: str, data: Path, workdir: Path) -> dict:
    cmd = [PYTHON, str(BENCH / script), "--input", str(data)]
    if script == "floor.py":
        cmd += ["--db", str(workdir / "floor.duckdb")]
    else:
        cmd += ["--out", str(workdir / "customers.parquet")]
    result = measure(cmd, workdir)
    if result["rc"] == 0:
        try:
            lines = (workdir / "output.log").read_text().strip().splitlines()
            result["output"] = json.loads(lines[-1])
            result["customers"] = result["output"]["customers"]
        except (OSError, ValueError, IndexError, KeyError):
            pass
    return result


def pandas_skip_reason(lines: int, skip_above: int | None) -> str | None:
    if skip_above is not None and lines > skip_above:
        return f"skipped: above --skip-pandas-above {skip_above:,}"
    needed = lines * PANDAS_BYTES_PER_LINE
    available = total_memory_bytes() * 0.75
    if skip_above is None and needed > available:
        return (
            f"skipped: would need ~{needed / GIB:.0f} GiB "
            f"({PANDAS_BYTES_PER_LINE} B/line), machine has "
            f"{total_memory_bytes() / GIB:.0f} GiB"
        )
    return None


# ------------------------------------------------------------------ machine


def total_memory_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def machine_info() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for package in (
        "dbt-core",
        "dbt-duckdb",
        "duckdb",
        "scikit-learn",
        "pandas",
        "numpy",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "?"
    try:  # read-only
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "?"
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": total_memory_bytes() / GIB,
        "platform": platform.platform(),
        "versions": versions,
        "commit": commit,
        "load_start": round(os.getloadavg()[0], 2),
    }
