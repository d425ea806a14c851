"""Benchmark the project against a bare DuckDB + scikit-learn floor and pandas.

    python bench/run_benchmark.py --lines 1000000 --lines 10000000 --repeat 3
    python bench/run_benchmark.py --ci        # 1M lines, one repeat

For each N it generates bench/data/lines_<N>.parquet when missing, then runs,
each as its own subprocess timed by /usr/bin/time (wall time and peak RSS):

  (a) the project: `dbt build` without tests (seeds + models) and `dbt build`
      (with data and unit tests), vars transactions_path=<file>, n_segments=4,
      each on a fresh DuckDB file, target and log directory;
      and, as (a'), models only with var count_distinct_products: true (the
      optional extra pass over the lines); and, as (a''), models only *warm*:
      `dbt parse` with the same vars ran first (not timed), so `dbt build`
      uses partial parsing, as every daily run after the first does;
  (b) the same four commands on the bundled sample (dbt's fixed cost);
  (c) bench/floor.py: the same cleaning, features and fit in bare DuckDB SQL +
      scikit-learn;
  (d) bench/pandas_baseline.py: the notebook way (skipped when it would not
      fit in memory);
  (e) dbt's own fixed cost: `dbt run` of bench/dbt_fixed_cost (three trivial
      models, one a Python model importing scikit-learn), cold and warm, and
      the floor's start-up (Python importing duckdb, numpy, scikit-learn).
      (e) + the floor's data work (c minus its start-up) is the fastest any
      dbt project doing the floor's work could be on this machine: the lower
      bound quoted beside the 10M target.

Reports medians of --repeat runs, the ratios (a - b) / c, a / c and
pandas / a, and writes bench/results/benchmark.md and benchmark.json (--ci:
bench/results/ci/). Exits non-zero only when a run fails, never on a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import duckdb

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from generate_data import generate  # noqa: E402

GNU_TIME = Path("/usr/bin/time")
PYTHON = sys.executable
DBT = (
    str(Path(PYTHON).with_name("dbt"))
    if Path(PYTHON).with_name("dbt").exists()
    else "dbt"
)
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
#: The variants that are `dbt build` runs of the project (see run_dbt).
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


# --------------------------------------------------------------------- runs


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


def dbt_env(workdir: Path, database: str) -> dict:
    """A dbt run's environment: its own DuckDB file and temp directory."""
    return {
        "SEGMENTATION_DB": str(workdir / database),
        "SEGMENTATION_DUCKDB_TEMP": str(workdir / "duckdb_tmp"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def measure_dbt(
    command: list[str], args: list[str], workdir: Path, env: dict, warm: bool
) -> dict:
    """Time `dbt <command> <args>` with its own target and log path in workdir.

    ``command`` is the subcommand with its own flags (selection), ``args``
    what a `dbt parse` of the same project needs too (vars, project). With
    ``warm``, an untimed `dbt parse <args>` into the same target runs first:
    the state of every run after the first, where target/ holds the parsed
    project (partial_parse.msgpack) for the same vars.
    """
    paths = [
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    if warm:
        parse = [DBT, "parse", "--no-use-colors", *args, *paths]
        prepared = measure(parse, workdir, env)
        if prepared["rc"] != 0:
            return prepared
    return measure([DBT, *command, "--no-use-colors", *args, *paths], workdir, env)


def run_dbt(variant: str, data: Path | None, workdir: Path) -> dict:
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
        command,
        ["--vars", json.dumps(dbt_vars)],
        workdir,
        dbt_env(workdir, db.name),
        warm=variant == "warm",
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
        project,
        workdir,
        dbt_env(workdir, "fixed_cost.duckdb"),
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


# ------------------------------------------------------------------ summary


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get("rc") == 0 and r.get(key) is not None]
    return statistics.median(values) if values else None


def summarise(runs: list[dict]) -> dict:
    ok = [r for r in runs if r.get("rc") == 0]
    return {
        "runs": len(runs),
        "failed": len(runs) - len(ok),
        "wall_s": median(runs, "wall_s"),
        "peak_kib": median(runs, "peak_kib"),
        "dbt_elapsed_s": median(runs, "dbt_elapsed_s"),
        "customers": next((r["customers"] for r in ok if "customers" in r), None),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def ratios(size: dict, sample: dict) -> dict:
    floor, pandas = size["floor"], size.get("pandas", {})
    out = {}
    for variant in DBT_VARIANTS:
        a, b = size[variant]["wall_s"], sample[variant]["wall_s"]
        c = floor["wall_s"]
        out[variant] = {
            "marginal": ratio(None if a is None or b is None else a - b, c),
            "total": ratio(a, c),
            "pandas_over_project": ratio(pandas.get("wall_s"), a),
            "memory": ratio(size[variant]["peak_kib"], floor["peak_kib"]),
        }
    return out


def ratio_spread(runs: dict[str, list], sample: dict, variant: str) -> dict:
    """The lowest and highest marginal and pandas / project ratios over the
    repeats, each repeat's project run paired with the floor (and pandas) run
    of the same repeat: how much of a ratio is this machine's noise."""
    b = sample[variant]["wall_s"]
    per_repeat: dict[str, list[float]] = {"marginal": [], "pandas_over_project": []}

    def same_repeat(other: str, i: int) -> dict:
        others = runs.get(other, [])
        return others[i] if i < len(others) else {}

    for i, run in enumerate(runs[variant]):
        floor, pandas = same_repeat("floor", i), same_repeat("pandas", i)
        if run.get("rc") != 0:
            continue
        a = run["wall_s"]
        if b is not None and floor.get("rc") == 0:
            per_repeat["marginal"].append((a - b) / floor["wall_s"])
        if pandas.get("rc") == 0:
            per_repeat["pandas_over_project"].append(pandas["wall_s"] / a)
    return {
        key: [min(values), max(values)] if values else None
        for key, values in per_repeat.items()
    }


def lower_bound(size: dict, fixed: dict) -> dict:
    """The fastest a dbt project doing the floor's work could be here: dbt's
    fixed cost (e) plus the floor's data work (its wall time minus its
    start-up), cold and warm; and the pandas / project ratio that would give."""
    floor, startup = size["floor"]["wall_s"], fixed["floor_startup"]["wall_s"]
    work = None if floor is None or startup is None else floor - startup
    out: dict = {"floor_work_s": work}
    for kind in ("cold", "warm"):
        dbt_alone = fixed[f"dbt_{kind}"]["wall_s"]
        bound = None if work is None or dbt_alone is None else dbt_alone + work
        out[kind] = {
            "seconds": bound,
            "best_pandas_over_project": ratio(
                size.get("pandas", {}).get("wall_s"), bound
            ),
        }
    return out


def median_node_times(runs: list[dict]) -> dict[str, float]:
    times: dict[str, list[float]] = {}
    for run in runs:
        if run.get("rc") != 0:
            continue
        for node, info in run.get("nodes", {}).items():
            times.setdefault(node, []).append(info["time_s"])
    return {node: statistics.median(values) for node, values in times.items()}


def node_table(runs: list[dict], wall: float | None) -> list[str]:
    times = median_node_times(runs)
    if not times:
        return ["(no run_results.json)"]
    groups: dict[str, list[float]] = {}
    for node, seconds in times.items():
        groups.setdefault(node.split(".")[0], []).append(seconds)
    dbt_elapsed = median(runs, "dbt_elapsed_s")
    rows = [
        "| node | time (s) | share of wall |",
        "| --- | ---: | ---: |",
    ]

    def share(seconds: float) -> str:
        return f"{seconds / wall:.0%}" if wall else ""

    models = sorted(
        ((n, s) for n, s in times.items() if n.split(".")[0] == "model"),
        key=lambda item: -item[1],
    )
    for node, seconds in models:
        rows.append(f"| {node.split('.')[-1]} | {seconds:.2f} | {share(seconds)} |")
    for kind in ("seed", "test", "unit_test", "operation"):
        if kind in groups:
            total = sum(groups[kind])
            label = f"all {len(groups[kind])} {kind.replace('_', ' ')}s"
            rows.append(f"| {label} | {total:.2f} | {share(total)} |")
    if wall and dbt_elapsed:
        other = wall - dbt_elapsed
        rows.append(
            f"| dbt start-up, parse, compile (wall - run_results elapsed) "
            f"| {other:.2f} | {share(other)} |"
        )
    return rows


def fmt_run(summary: dict | None, note: str | None = None) -> str:
    if note:
        return note
    if not summary or summary["wall_s"] is None:
        return "failed"
    peak = summary["peak_kib"]
    memory = f"{peak * 1024 / GIB:.2f} GiB" if peak else "?"
    failed = f" ({summary['failed']} failed)" if summary["failed"] else ""
    return f"{summary['wall_s']:.1f} s / {memory}{failed}"


def fmt_count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def fmt_seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} s"


def fmt_ratio(value: float | None, target: str = "") -> str:
    return "n/a" if value is None else f"{value:.2f}{target}"


def check(value: float | None, limit: float, text: str, at_least: bool = False) -> str:
    """PASS when value <= limit (value >= limit with at_least)."""
    if value is None:
        return f"n/a ({text})"
    ok = value >= limit if at_least else value <= limit
    return f"{'PASS' if ok else 'FAIL'}: {text}"


def with_spread(value: float | None, spread: list[float] | None) -> str:
    """A ratio of medians, and its lowest and highest value over the repeats."""
    if spread is None or spread[0] == spread[1]:
        return fmt_ratio(value)
    return f"{fmt_ratio(value)} (repeats {spread[0]:.2f}-{spread[1]:.2f})"


def targets(results: dict) -> list[str]:
    """The issue's targets, for the sizes that were run (informational)."""
    rows = []
    sizes = results["sizes"]
    for lines, size in sizes.items():
        r = size["ratios"]["models"]
        spread = size.get("spread", {})
        n = int(lines)
        if n == 10_000_000:
            for variant, label in (("models", ""), ("warm", ", warm (a'')")):
                value = size["ratios"][variant]["pandas_over_project"]
                text = with_spread(
                    value, spread.get(variant, {}).get("pandas_over_project")
                )
                rows.append(
                    f"| 10M | pandas / project >= 2{label} | "
                    f"{check(value, 2, text, at_least=True)} |"
                )
            bound = size.get("lower_bound")
            if bound:
                rows.append(
                    "| 10M | (e) the best any dbt project could reach here: "
                    "pandas / (trivial dbt project + the floor's data work) "
                    f"| {fmt_ratio(bound['cold']['best_pandas_over_project'])} "
                    f"cold, {fmt_ratio(bound['warm']['best_pandas_over_project'])}"
                    " warm |"
                )
        if n in (30_000_000, 100_000_000):
            for key, limit, label in (
                ("marginal", 1.3, "marginal ratio <= 1.3"),
                ("memory", 1.5, "peak memory <= 1.5 x floor"),
            ):
                value = r[key]
                text = with_spread(value, spread.get("models", {}).get(key))
                rows.append(
                    f"| {n // 1_000_000}M | {label} | {check(value, limit, text)} |"
                )
        if n == 100_000_000:
            peak = size["models"]["peak_kib"]
            gib = peak * 1024 / GIB if peak else None
            rows.append(
                f"| 100M | peak memory <= 8 GiB | "
                f"{check(gib, 8, f'{gib or 0:.2f} GiB')} |"
            )
            ten = sizes.get("10000000")
            if ten:
                value = ratio(size["models"]["wall_s"], ten["models"]["wall_s"])
                rows.append(
                    f"| 100M | wall time <= 12 x 10M | "
                    f"{check(value, 12, fmt_ratio(value))} |"
                )
    if not rows:
        return [
            "No target applies to the sizes run (targets are set at 10M, 30M, 100M)."
        ]
    return ["| size | target | result (models only) |", "| --- | --- | --- |", *rows]


def markdown(results: dict) -> str:
    machine = results["machine"]
    sample = results["sample"]
    out = [
        "# Benchmark: project vs. floor vs. pandas",
        "",
        f"Run {results['started']} ({results['duration_s'] / 60:.1f} min), "
        f"median of {results['repeat']} run(s) per cell, `{results['command']}`"
        + (
            ", extra environment "
            + ", ".join(f"{k}={v}" for k, v in results["env"].items())
            if results["env"]
            else ""
        )
        + ".",
        "",
        "Wall time / peak RSS. *models only* = `dbt build --exclude-resource-type "
        "test --exclude-resource-type unit_test` (seeds + models); *+ tests* = "
        "`dbt build`; *(a') + distinct_products* = models only with var "
        "`count_distinct_products: true` (off by default); *(a'') warm* = "
        "models only after a `dbt parse` with the same vars (not timed), so "
        "that dbt parses partially, as in every daily run after the first; "
        "all with `n_segments: 4`, a fresh database, and a fresh target except "
        "for the parse of (a'').",
        "",
        "| lines | customers | (a) project, models only | (a) project + tests "
        "| (a') models + distinct_products | (a'') models only, warm "
        "| (c) floor | (d) pandas |",
        "| ---: | ---: | --- | --- | --- | --- | --- | --- |",
        f"| sample (b) | {fmt_count(sample['models']['customers'])} "
        f"| {fmt_run(sample['models'])} | {fmt_run(sample['tests'])} "
        f"| {fmt_run(sample['products'])} | {fmt_run(sample['warm'])} | | |",
    ]
    for lines, size in results["sizes"].items():
        out.append(
            f"| {int(lines):,} | {fmt_count(size['customers'])} "
            f"| {fmt_run(size['models'])} | {fmt_run(size['tests'])} "
            f"| {fmt_run(size['products'])} | {fmt_run(size['warm'])} "
            f"| {fmt_run(size['floor'])} "
            f"| {fmt_run(size.get('pandas'), size.get('pandas_note'))} |"
        )
    out += [
        "",
        "Ratios (time unless stated; values for models only / with tests / "
        "models + distinct_products / models only, warm):",
        "",
        "| lines | marginal (a - b) / c | total a / c | pandas / project "
        "| peak memory a / c |",
        "| ---: | --- | --- | --- | --- |",
    ]
    for lines, size in results["sizes"].items():
        r = size["ratios"]
        out.append(
            f"| {int(lines):,} "
            + "".join(
                "| "
                + " / ".join(fmt_ratio(r[variant][key]) for variant in DBT_VARIANTS)
                + " "
                for key in ("marginal", "total", "pandas_over_project", "memory")
            )
            + "|"
        )
    out += lower_bound_section(results)
    out += ["", "Targets of the issue (informational; never fail the run):", ""]
    out += targets(results)
    largest = results.get("largest_nodes")
    if largest:
        out += [
            "",
            f"Where the time goes at {int(largest['lines']):,} lines "
            "(`dbt build` + tests, median per node from target/run_results.json):",
            "",
            *largest["table"],
        ]
    out += [
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), "
        f"{machine['memory_gib']:.1f} GiB RAM, load average "
        f"{machine['load_start']} at start, {machine['load_end']} at end; "
        f"{machine['platform']}.",
        "Versions: "
        + ", ".join(f"{k} {v}" for k, v in machine["versions"].items())
        + f". Project commit {machine['commit']}. DuckDB settings in the project: "
        f"{duckdb_profile_settings()}; the floor uses DuckDB's defaults.",
        "",
    ]
    return "\n".join(out)


def lower_bound_section(results: dict) -> list[str]:
    """(e): dbt's fixed cost, and the fastest dbt project it allows per size."""
    fixed = results.get("fixed_cost")
    if not fixed:
        return []

    out = [
        "",
        "The lower bound (e). Before any data, a `dbt run` of three trivial "
        "models (bench/dbt_fixed_cost: two SQL models and a Python model that "
        f"imports scikit-learn) takes {fmt_run(fixed['dbt_cold'])} cold and "
        f"{fmt_run(fixed['dbt_warm'])} warm, and the floor's start-up (a Python "
        f"that runs `{FLOOR_IMPORTS}`) takes {fmt_run(fixed['floor_startup'])}. "
        "A dbt project that does the floor's work cannot beat the trivial "
        "project plus the floor's data work, give or take the noise:",
        "",
        "| lines | floor's data work (c - start-up) "
        "| fastest dbt project, cold / warm | project (a) / warm (a'') "
        "| pandas | best pandas / project, cold / warm "
        "| pandas / project, cold / warm |",
        "| ---: | --- | --- | --- | --- | --- | --- |",
    ]
    for lines, size in results["sizes"].items():
        bound = size.get("lower_bound")
        if not bound:
            continue
        r = size["ratios"]
        out.append(
            f"| {int(lines):,} | {fmt_seconds(bound['floor_work_s'])} "
            f"| {fmt_seconds(bound['cold']['seconds'])} / "
            f"{fmt_seconds(bound['warm']['seconds'])} "
            f"| {fmt_seconds(size['models']['wall_s'])} / "
            f"{fmt_seconds(size['warm']['wall_s'])} "
            f"| {fmt_run(size.get('pandas'), size.get('pandas_note'))} "
            f"| {fmt_ratio(bound['cold']['best_pandas_over_project'])} / "
            f"{fmt_ratio(bound['warm']['best_pandas_over_project'])} "
            f"| {fmt_ratio(r['models']['pandas_over_project'])} / "
            f"{fmt_ratio(r['warm']['pandas_over_project'])} |"
        )
    return out


def duckdb_profile_settings() -> str:
    """The DuckDB options profiles.yml sets, with the defaults of their env vars."""
    options = re.findall(
        r"^\s+(threads|memory_limit): \"\{\{ env_var\('\w+', '([^']+)'\) \}\}\"",
        (ROOT / "profiles.yml").read_text(),
        flags=re.MULTILINE,
    )
    return ", ".join(f"{name} {value}" for name, value in options) or "see profiles.yml"


def print_summary(results: dict) -> None:
    print()
    print(
        f"{'lines':>12} {'variant':<26} {'wall s':>8} {'peak GiB':>9} {'customers':>10}"
    )
    rows = [("sample", results["sample"])] + [
        (f"{int(n):,}", s) for n, s in results["sizes"].items()
    ]
    for label, size in rows:
        for variant, name in VARIANTS.items():
            summary = size.get(variant)
            if summary is None:
                note = size.get(f"{variant}_note")
                if note:
                    print(f"{label:>12} {name:<26} {note}")
                continue
            wall = (
                f"{summary['wall_s']:.1f}" if summary["wall_s"] is not None else "fail"
            )
            peak = (
                f"{summary['peak_kib'] * 1024 / GIB:.2f}"
                if summary["peak_kib"]
                else "?"
            )
            print(
                f"{label:>12} {name:<26} {wall:>8} {peak:>9} "
                f"{summary['customers'] or '':>10}"
            )
    for variant, name in FIXED_COST_VARIANTS.items():
        summary = results.get("fixed_cost", {}).get(variant)
        if summary:
            print(f"{'(e)':>12} {name:<26} {fmt_run(summary)}")
    for n, size in results["sizes"].items():
        bound = size.get("lower_bound", {})
        if bound:
            print(
                f"{int(n):>12,} fastest possible dbt project "
                f"{fmt_seconds(bound['cold']['seconds'])} cold, "
                f"{fmt_seconds(bound['warm']['seconds'])} warm; best pandas/project "
                f"{fmt_ratio(bound['cold']['best_pandas_over_project'])} cold, "
                f"{fmt_ratio(bound['warm']['best_pandas_over_project'])} warm"
            )
        for variant in DBT_VARIANTS:
            r = size["ratios"][variant]
            print(
                f"{int(n):>12,} {variant:<8} "
                f"marginal (a-b)/c {fmt_ratio(r['marginal'])}"
                f"  total a/c {fmt_ratio(r['total'])}"
                f"  pandas/project {fmt_ratio(r['pandas_over_project'])}"
                f"  memory a/c {fmt_ratio(r['memory'])}"
            )


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


# --------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--lines",
        type=int,
        action="append",
        help="lines per run; repeatable (default 1M)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (median)")
    parser.add_argument(
        "--skip-pandas-above",
        type=int,
        help="skip pandas above this many lines (default: when it would not fit "
        f"in 75%% of RAM at {PANDAS_BYTES_PER_LINE} B/line)",
    )
    parser.add_argument("--ci", action="store_true", help="1M lines, one repeat")
    parser.add_argument("--out-dir", type=Path, help="default bench/results")
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data")
    parser.add_argument("--keep-tmp", action="store_true", help="keep run directories")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment variable for every run, e.g. OMP_WAIT_POLICY=passive",
    )
    args = parser.parse_args(argv)
    if args.ci:
        args.lines = args.lines or [1_000_000]
        args.repeat = 1
        args.out_dir = args.out_dir or BENCH / "results" / "ci"
    args.lines = sorted(set(args.lines or [1_000_000]))
    args.out_dir = args.out_dir or BENCH / "results"
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--env takes KEY=VALUE, got {item!r}")
        EXTRA_ENV[key] = value
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    results: dict = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python bench/run_benchmark.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "repeat": args.repeat,
        "env": dict(EXTRA_ENV),
        "machine": machine_info(),
        "runs": [],
    }
    failures = []
    scratch = Path(tempfile.mkdtemp(prefix="segbench-"))

    def record(label: str, lines: int | None, variant: str, repeat: int, fn) -> dict:
        workdir = scratch / f"{label}-{variant}-{repeat}"
        workdir.mkdir(parents=True)
        print(
            f"[{time.perf_counter() - started:6.0f}s] "
            f"{label} {variant} #{repeat + 1} ...",
            end=" ",
            flush=True,
        )
        result = fn(workdir)
        result.update(label=label, lines=lines, variant=variant, repeat=repeat)
        peak = f"{result['peak_kib'] / 2**20:.2f} GiB" if result["peak_kib"] else "?"
        print(
            f"{'ok' if result['rc'] == 0 else 'FAILED'} {result['wall_s']:.1f} s {peak}"
        )
        if result["rc"] != 0:
            failures.append(f"{label} {variant} #{repeat + 1}")
            print(tail(workdir / "output.log"), file=sys.stderr)
        results["runs"].append(result)
        if not args.keep_tmp:
            shutil.rmtree(workdir, ignore_errors=True)
        return result

    try:
        data_files = {}
        for lines in args.lines:
            out = args.data_dir / f"lines_{lines}.parquet"
            try:
                data_files[lines] = generate(lines, out)
            except Exception as error:  # noqa: BLE001 - report and go on
                failures.append(f"generate {lines:,}: {error}")
                print(f"generation of {lines:,} lines failed: {error}", file=sys.stderr)

        sample_runs: dict[str, list] = {variant: [] for variant in DBT_VARIANTS}
        fixed_runs: dict[str, list] = {variant: [] for variant in FIXED_COST_VARIANTS}
        for repeat in range(args.repeat):
            for variant in sample_runs:
                sample_runs[variant].append(
                    record(
                        "sample",
                        None,
                        variant,
                        repeat,
                        lambda w, v=variant: run_dbt(v, None, w),
                    )
                )
            for variant in fixed_runs:
                fixed_runs[variant].append(
                    record(
                        "fixed",
                        None,
                        variant,
                        repeat,
                        lambda w, v=variant: run_fixed_cost(v, w),
                    )
                )
        results["sample"] = {v: summarise(r) for v, r in sample_runs.items()}
        results["fixed_cost"] = {v: summarise(r) for v, r in fixed_runs.items()}

        results["sizes"] = {}
        all_runs = {}
        for lines, data in data_files.items():
            label = f"{lines}"
            skip = pandas_skip_reason(lines, args.skip_pandas_above)
            runs: dict[str, list] = {v: [] for v in (*DBT_VARIANTS, "floor")}
            if not skip:
                runs["pandas"] = []
            for repeat in range(args.repeat):
                for variant in runs:
                    if variant in DBT_VARIANTS:
                        fn = lambda w, v=variant, d=data: run_dbt(v, d, w)  # noqa: E731
                    else:
                        script = (
                            "floor.py" if variant == "floor" else "pandas_baseline.py"
                        )
                        fn = lambda w, s=script, d=data: run_script(s, d, w)  # noqa: E731
                    runs[variant].append(record(label, lines, variant, repeat, fn))
            size = {v: summarise(r) for v, r in runs.items()}
            size["customers"] = size["floor"]["customers"]
            if skip:
                size["pandas_note"] = skip
            size["ratios"] = ratios(size, results["sample"])
            size["lower_bound"] = lower_bound(size, results["fixed_cost"])
            size["spread"] = {
                v: ratio_spread(runs, results["sample"], v) for v in DBT_VARIANTS
            }
            mismatch = {
                v: size[v]["customers"]
                for v in runs
                if size[v]["customers"] not in (None, size["customers"])
            }
            if mismatch:
                size["customer_count_mismatch"] = mismatch
                print(f"WARNING: customer counts differ from the floor's: {mismatch}")
            results["sizes"][str(lines)] = size
            all_runs[lines] = runs

        if all_runs:
            largest = max(all_runs)
            results["largest_nodes"] = {
                "lines": largest,
                "node_times_s": median_node_times(all_runs[largest]["tests"]),
                "table": node_table(
                    all_runs[largest]["tests"],
                    results["sizes"][str(largest)]["tests"]["wall_s"],
                ),
            }
    finally:
        if not args.keep_tmp:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"run directories kept in {scratch}")

    results["machine"]["load_end"] = round(os.getloadavg()[0], 2)
    results["duration_s"] = time.perf_counter() - started
    results["failures"] = failures
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "benchmark.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.out_dir / "benchmark.md").write_text(markdown(results))
    print_summary(results)
    print(
        f"\nwrote {args.out_dir / 'benchmark.md'} and benchmark.json "
        f"in {results['duration_s'] / 60:.1f} min"
    )
    if failures:
        print("FAILED runs: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
