"""Measuring: every benchmark run as its own subprocess, timed for wall time
and peak RSS, and what it reports (dbt's per-node times, customer counts).

The dbt runs are built by tools/dbt_runner.py, the one way tests and the
benchmark run dbt; only the timer around them is the benchmark's. The Spark
runs (--spark) are the same dbt command run by tools/spark_dbt.py in the
Spark venv (.venv-spark).

/usr/bin/time's peak RSS is the kernel's high-water mark of the one process
it starts, or of a descendant that process waited for, whichever is larger
(never a sum). That is the whole of a DuckDB run: dbt, DuckDB and the Python
models share one process. It is not the whole of a Spark run: PySpark starts
the driver JVM as a child that it never waits for (the JVM exits by itself
when its stdin closes, after the Python has gone), so /usr/bin/time sees the
Python process alone. Spark runs are therefore also sampled by
:class:`ProcessTreeSampler`: the summed RSS of every process the run started
(the Python, the driver JVM, executor JVMs), read from /proc.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

import duckdb

from tools.dbt_runner import (
    PROJECT_DIR,
    dbt_command,
    isolation_env,
    spark_dbt_command,
    spark_isolation_env,
    spark_warehouse,
)
from tools.engine_comparison import spark_table_path

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
    "no_value": "models, no value",
    "tests": "dbt build + tests",
    "products": "models + distinct_products",
    "warm": "models only, parsed before",
    "history": "models + history",
    "floor": "floor (DuckDB + sklearn)",
    "pandas": "pandas notebook",
    "spark": "Spark local[2], models only",
    "spark_cluster": "Spark local-cluster, models",
}
#: The `dbt build` runs of today's segments (see run_project): everything
#: but the history (tag:history), as the benchmark measured before there was
#: one, so that their figures compare with earlier runs; customer value
#: (tag:value) included, as in every build since it exists.
DBT_VARIANTS = ("models", "tests", "products", "warm")
#: (h): models only *with* the history, at :data:`HISTORY_VARS`; reported
#: beside (a), never among today's variants.
HISTORY = "history"
#: (a0): (a) models only *without* customer value (see
#: :data:`EXCLUDE_VALUE`); reported beside (a), never among today's variants.
NO_VALUE = "no_value"
#: Every `dbt build` run of the project, in the order of a repeat: (a0)
#: right after (a), so that the load the two see is as alike as it can be
#: (the value's cost is their small difference); then (h) last.
PROJECT_VARIANTS = (DBT_VARIANTS[0], NO_VALUE, *DBT_VARIANTS[1:], HISTORY)
#: The variants that build models only (no data or unit tests).
MODELS_ONLY = ("models", NO_VALUE, "products", "warm", HISTORY)
#: What makes a `dbt build` models only (seeds + models): DuckDB and Spark alike.
MODELS_ONLY_FLAGS = [
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
]
#: The history's models carry this tag (dbt_project.yml): the benchmark
#: selects them by tag, never by name, so new history models count at once.
HISTORY_TAG = "history"
#: What leaves the history out of a build (its models, their tests and unit
#: tests: dbt's indirect selection drops a test whose model is excluded).
EXCLUDE_HISTORY = ["--exclude", f"tag:{HISTORY_TAG}"]
#: (h)'s vars: the issue's cost target is set at 12 monthly as-of dates.
HISTORY_VARS = {"history_grain": "month", "history_periods": 12}
#: Customer value's models carry this tag (dbt_project.yml), selected by
#: tag like the history's, so a value model added later counts at once.
VALUE_TAG = "value"
#: What (a0) leaves out: the history, as (a) does, and customer value: every
#: model tagged value and segment_profiles, the one model outside the tag
#: that reads customer_value (its value columns cannot be built without it).
#: segment_profiles' own work goes with it, so a / a0 slightly overstates
#: what customer value costs: the conservative side of the issue's target.
EXCLUDE_VALUE = [
    "--exclude",
    f"tag:{HISTORY_TAG}",
    f"tag:{VALUE_TAG}",
    "segment_profiles",
]

#: --spark: the project's models-only build on Spark (see run_spark), per
#: variant the Spark master it runs on (profiles.yml: SEGMENTATION_SPARK_MASTER)
SPARK_MASTERS = {
    "spark": "local[2]",
    # two executor JVMs of one core and 1536 MB each, beside the driver
    "spark_cluster": "local-cluster[2,1,1536]",
}
#: The Spark venv (requirements-spark.txt); --spark is skipped without it.
SPARK_PYTHON = ROOT / ".venv-spark" / "bin" / "python"
#: How often ProcessTreeSampler reads the processes' memory (seconds).
SAMPLE_INTERVAL_S = 0.2
#: How long to wait, untimed, for a run's orphaned processes (the JVM) to exit.
STRAGGLER_WAIT_S = 60
#: ProcessTreeSampler counts a process only from this age on: between fork
#: and exec a child shows its parent's memory (the JVM starts every process
#: that way), which would count the parent twice.
MIN_PROCESS_AGE_S = 1.0
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


def measure(
    cmd: list[str],
    workdir: Path,
    env: dict | None = None,
    process_tree: bool = False,
) -> dict:
    """Run ``cmd`` from the project root; wall time (s) and peak RSS (KiB).

    With ``process_tree``, the run's processes are also sampled (see
    :class:`ProcessTreeSampler`), for runs that are more than one process.
    """
    timefile = workdir / "time.txt"
    if GNU_TIME.exists():
        full = [str(GNU_TIME), "-f", "%e %M", "-o", str(timefile), *cmd]
    else:
        full = [PYTHON, "-c", RUSAGE_WRAPPER, str(timefile), *cmd]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with open(workdir / "output.log", "w") as log:
        process = subprocess.Popen(
            full,
            cwd=ROOT,
            env={**os.environ, **EXTRA_ENV, **(env or {})},
            stdout=log,
            stderr=log,
        )
        sampler = ProcessTreeSampler(process.pid) if process_tree else None
        if sampler:
            sampler.start()
        rc = process.wait()
    elapsed = time.perf_counter() - started
    tree = sampler.finish() if sampler else {}
    try:  # GNU time puts "Command exited with non-zero status" lines first
        wall, peak = timefile.read_text().split("\n")[-2].split()
        wall, peak = float(wall), int(peak)
    except (OSError, ValueError, IndexError):
        wall, peak = elapsed, None
    return {
        "rc": rc,
        "wall_s": wall,
        "peak_kib": peak,
        **tree,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


# ------------------------------------------------------------- process tree


def descendants(root: int, parents: dict[int, int]) -> set[int]:
    """The processes below ``root`` (not root itself), given each process's
    parent.

    Examples
    --------
    >>> sorted(descendants(1, {2: 1, 3: 2, 4: 9, 5: 3}))
    [2, 3, 5]
    """
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found: set[int] = set()
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def read_processes() -> dict[int, tuple[int, str, str]]:
    """Every process now: pid -> (parent pid, start time in clock ticks,
    command name).

    The start time tells a process from a later one given the same pid.
    """
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone since the listing
            continue
        # the command name, in parentheses, may itself hold spaces
        fields = stat[stat.rindex(")") + 2 :].split()
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        processes[int(entry.name)] = (int(fields[1]), fields[19], name)
    return processes


def uptime_ticks() -> float:
    """Time since boot in clock ticks: the unit of a process's start time."""
    seconds = float(Path("/proc/uptime").read_text().split()[0])
    return seconds * os.sysconf("SC_CLK_TCK")


def process_memory_kib(pid: int) -> tuple[int, int] | None:
    """(VmRSS, VmHWM) of a process in KiB: its resident memory now and its
    own high-water mark; None once it is gone (or a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0])
    if len(values) < 2:
        return None
    return values["VmRSS"], values["VmHWM"]


class ProcessTreeSampler(threading.Thread):
    """Samples the summed RSS of every process started below ``root``.

    Every :data:`SAMPLE_INTERVAL_S`, it adds up the resident memory of the
    processes below ``root`` (for a Spark run: the Python, the driver JVM it
    started, executor JVMs the driver started, Python workers), keeping the
    processes once seen even when their parent has exited and they were
    re-parented (the JVM outlives PySpark's Python by a moment). A process
    counts from :data:`MIN_PROCESS_AGE_S` on: younger, it may not have
    exec'd yet and still show its parent's memory. A forked child that does
    not exec (PySpark's Python workers) shares pages with its parent that
    both RSS count: a small excess, the daemon being small. :meth:`finish`
    gives:

    * ``tree_peak_kib``: the largest sum seen; a sample, so it can miss a
      short peak: a lower bound of the tree's true peak;
    * ``tree_hwm_sum_kib``: the sum of each process's own high-water mark
      (VmHWM) as last read; the processes need not peak at the same moment,
      so an upper bound;
    * ``tree_processes``: how many processes were seen, and
      ``tree_samples`` how many samples were taken.

    Linux only (/proc); elsewhere the three figures are None.
    """

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.stop = threading.Event()
        self.seen: dict[tuple[int, str], int] = {}  # (pid, start) -> last VmHWM
        self.names: dict[tuple[int, str], str] = {}
        self.peak = 0
        self.samples = 0

    def alive(self) -> list[tuple[int, str]]:
        """The processes seen so far that still run, and (while the root
        runs: its pid may be reused afterwards) any new ones below it."""
        processes = read_processes()
        if not self.stop.is_set():
            parents = {pid: value[0] for pid, value in processes.items()}
            for pid in descendants(self.root, parents):
                key = (pid, processes[pid][1])
                self.seen.setdefault(key, 0)
                self.names[key] = processes[pid][2]
        return [
            (pid, start)
            for pid, start in self.seen
            if pid in processes and processes[pid][1] == start
        ]

    def sample(self) -> None:
        total = 0
        born_before = uptime_ticks() - MIN_PROCESS_AGE_S * os.sysconf("SC_CLK_TCK")
        for key in self.alive():
            if int(key[1]) > born_before:
                continue
            memory = process_memory_kib(key[0])
            if memory is not None:
                total += memory[0]
                self.seen[key] = max(self.seen[key], memory[1])
        self.peak = max(self.peak, total)
        self.samples += 1

    def run(self) -> None:
        if not Path("/proc/self/status").exists():
            return
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(SAMPLE_INTERVAL_S)

    def finish(self) -> dict:
        """Stop sampling (the timed process has exited); then wait, untimed,
        up to :data:`STRAGGLER_WAIT_S` for the processes it left behind, so
        that the next run does not share the machine with them."""
        self.stop.set()
        self.join()
        if not self.samples:
            return {"tree_peak_kib": None, "tree_hwm_sum_kib": None}
        self.sample()  # the re-parented processes' last high-water marks
        deadline = time.monotonic() + STRAGGLER_WAIT_S
        while (left := self.alive()) and time.monotonic() < deadline:
            time.sleep(SAMPLE_INTERVAL_S)
        out = {
            "tree_peak_kib": self.peak,
            "tree_hwm_sum_kib": sum(self.seen.values()),
            "tree_processes": len(self.seen),
            "tree_samples": self.samples,
            # which processes weighed what: name and own high-water mark
            "tree_process_peaks_kib": sorted(
                ([self.names[key], hwm] for key, hwm in self.seen.items()),
                key=lambda item: -item[1],
            ),
        }
        if left:
            out["tree_left_running"] = [pid for pid, _ in left]
        return out


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
    """`dbt build` of the project on a fresh database, target and log path:
    today's segments (tag:history excluded); for :data:`NO_VALUE`, models
    only of today's segments without customer value (:data:`EXCLUDE_VALUE`);
    for :data:`HISTORY`, models only with the history at :data:`HISTORY_VARS`.

    (a) models only also records how much customer value it built
    (:func:`value_size`), and (h) how much history (:func:`history_size`)."""
    dbt_vars: dict = {"n_segments": N_SEGMENTS}
    if data is not None:
        dbt_vars["transactions_path"] = str(data)
    if variant == "products":
        dbt_vars["count_distinct_products"] = True
    if variant == HISTORY:
        dbt_vars.update(HISTORY_VARS)
    command = ["build"]
    if variant in MODELS_ONLY:
        command += MODELS_ONLY_FLAGS
    if variant == NO_VALUE:
        command += EXCLUDE_VALUE
    elif variant != HISTORY:
        command += EXCLUDE_HISTORY
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
                if variant == HISTORY:
                    result.update(history_size(con))
                if variant == "models":
                    result.update(value_size(con))
        except duckdb.Error as error:
            result["customers_error"] = str(error)
    return result


def history_size(con: duckdb.DuckDBPyConnection) -> dict:
    """How much history (h) built: as-of dates and customer-date rows of the
    history mart, the issue's one named history table."""
    try:
        dates, rows = con.execute(
            "select count(distinct as_of_date), count(*) from customer_segment_history"
        ).fetchone()
    except duckdb.Error as error:
        return {"history_error": str(error)}
    return {"history_dates": dates, "history_rows": rows}


def value_size(con: duckdb.DuckDBPyConnection) -> dict:
    """How much customer value (a) built: the customers scored in
    customer_value, and the rows of int_value__purchase_patterns, the
    (fit period, x, T) patterns whose expected purchases the Python model
    computes once each: what the value's Python work grows with."""
    try:
        customers = con.execute("select count(*) from customer_value").fetchone()[0]
        patterns = con.execute(
            "select count(*) from internal.int_value__purchase_patterns"
        ).fetchone()[0]
    except duckdb.Error as error:
        return {"value_error": str(error)}
    return {"value_customers": customers, "value_patterns": patterns}


def run_spark(variant: str, data: Path | None, workdir: Path) -> dict:
    """The project's models-only build on Spark (--spark): the DuckDB column
    (a)'s command and vars (today's segments and their value: tag:history
    excluded), run by `python -m
    tools.spark_dbt` in the Spark venv on master :data:`SPARK_MASTERS`
    [variant], with a fresh warehouse and metastore (SEGMENTATION_SPARK_DIR),
    target and log path in workdir.

    Its memory is the process tree's (see :class:`ProcessTreeSampler`);
    ``peak_kib``, /usr/bin/time's, is the Python process alone.
    """
    dbt_vars: dict = {"n_segments": N_SEGMENTS}
    if data is not None:
        dbt_vars["transactions_path"] = str(data)
    env = {
        **spark_isolation_env(workdir),
        "SEGMENTATION_SPARK_MASTER": SPARK_MASTERS[variant],
    }
    cmd = spark_dbt_command(
        ["build", *MODELS_ONLY_FLAGS, *EXCLUDE_HISTORY],
        workdir,
        dbt_vars,
        python=SPARK_PYTHON,
    )
    result = measure(cmd, workdir, env, process_tree=True)
    result["master"] = SPARK_MASTERS[variant]
    result.update(dbt_details(workdir / "target" / "run_results.json"))
    if result["rc"] == 0:
        schema = {**os.environ, **EXTRA_ENV}.get(
            "SEGMENTATION_SPARK_SCHEMA", "segmentation"
        )
        table = spark_table_path(spark_warehouse(workdir), schema, "customer_segments")
        try:
            with duckdb.connect() as con:
                rows = con.execute(
                    "select segment_id, count(*) from read_parquet(?) "
                    "group by segment_id order by segment_id",
                    [str(table / "*.parquet")],
                ).fetchall()
            result["customers"] = sum(n for _, n in rows)
            result["segment_sizes"] = [n for _, n in rows]
        except duckdb.Error as error:
            result["customers_error"] = str(error)
    return result


def spark_skip_reason() -> str | None:
    """Why --spark cannot run here, or None."""
    if not SPARK_PYTHON.exists():
        return (
            f"Spark skipped: {os.path.relpath(SPARK_PYTHON, ROOT)} is missing "
            "(a venv with requirements-spark.txt and Java 17)"
        )
    return None


def spark_info() -> dict:
    """The Spark venv's versions and Java's, for the record."""
    script = (
        "from importlib import metadata\n"
        "for p in ('pyspark', 'dbt-spark', 'dbt-core'):\n"
        "    print(p, metadata.version(p))"
    )
    versions = {}
    try:
        out = subprocess.run(
            [str(SPARK_PYTHON), "-c", script],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        versions = dict(line.split(" ", 1) for line in out.splitlines())
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass
    try:  # `java -version` writes to stderr
        java = subprocess.run(
            ["java", "-version"], capture_output=True, text=True, check=True
        ).stderr.splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        java = "?"
    versions["java"] = java
    return {
        "masters": dict(SPARK_MASTERS),
        "settings": spark_settings(),
        "versions": versions,
    }


def spark_settings() -> dict[str, str]:
    """The Spark options profiles.yml takes from the environment, as the runs
    get them: the environment's value (or --env's), else the default."""
    environment = {**os.environ, **EXTRA_ENV}
    found = re.findall(
        r"^\s+spark\.([\w.]+): \"\{\{ env_var\('(\w+)', '([^']+)'\) \}\}\"",
        (ROOT / "profiles.yml").read_text(),
        flags=re.MULTILINE,
    )
    return {
        option: environment.get(variable, default)
        for option, variable, default in found
        # the master is each run's own; the directory is each run's scratch
        if variable not in ("SEGMENTATION_SPARK_MASTER", "SEGMENTATION_SPARK_DIR")
    }


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


def run_score(customers: int, workdir: Path) -> dict:
    """(f): bench/score_customers.py, scoring ``customers`` synthetic customers
    with segmentation.score; the script times the call itself (score_s: wall,
    score_cpu_s: CPU of all threads), without start-up and data generation."""
    result = measure(
        [PYTHON, str(BENCH / "score_customers.py"), "--customers", str(customers)],
        workdir,
    )
    if result["rc"] == 0:
        try:
            lines = (workdir / "output.log").read_text().strip().splitlines()
            output = json.loads(lines[-1])
            result.update(
                output=output,
                customers=output["customers"],
                segments=output["segments"],
                score_s=output["score_s"],
                score_cpu_s=output["score_cpu_s"],
            )
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
