"""Summarising: medians of the repeats, the ratios against the floor and
pandas, their spread over the repeats, the lower bound (e), the history (h)
beside today's models only (a), (a) beside (a0) models without customer
value, and Spark over DuckDB (--spark)."""

from __future__ import annotations

import statistics

from bench.measure import DBT_VARIANTS, HISTORY, NO_VALUE, SPARK_MASTERS


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get("rc") == 0 and r.get(key) is not None]
    return statistics.median(values) if values else None


def summarise(runs: list[dict]) -> dict:
    ok = [r for r in runs if r.get("rc") == 0]
    out = {
        "runs": len(runs),
        "failed": len(runs) - len(ok),
        "wall_s": median(runs, "wall_s"),
        "peak_kib": median(runs, "peak_kib"),
        "dbt_elapsed_s": median(runs, "dbt_elapsed_s"),
        "customers": next((r["customers"] for r in ok if "customers" in r), None),
    }
    # (h): how much history the runs built, (a): how much customer value
    # (the same in every repeat)
    for key in ("history_dates", "history_rows", "value_customers", "value_patterns"):
        if any(key in r for r in ok):
            out[key] = next(r[key] for r in ok if key in r)
    # runs of several processes (Spark) also have their process tree's memory
    if any("tree_peak_kib" in r for r in runs):
        out["tree_peak_kib"] = median(runs, "tree_peak_kib")
        out["tree_hwm_sum_kib"] = median(runs, "tree_hwm_sum_kib")
    return out


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


def added_cost(
    size: dict,
    without: str,
    with_: str,
    sample: dict | None = None,
    runs: dict[str, list] | None = None,
) -> dict:
    """What the models in variant ``with_`` and not in ``without`` cost, both
    medians of the same benchmark run.

    ``cost_s``: with - without, their own seconds; ``time`` and ``memory``:
    with / without, wall time and peak memory. With the ``sample``'s medians
    (for a size, not for the sample itself), ``data_cost_s``: the cost minus
    the same cost on the sample (dbt's start-up and parse of those models
    are in both): their marginal cost of the data. With the size's ``runs``,
    ``time_spread``: the lowest and highest with / without over the repeats,
    each ``with_`` run paired with the ``without`` run of the same repeat.

    Examples
    --------
    >>> size = {"a": {"wall_s": 20.0, "peak_kib": 100}, "b": {"wall_s": 25.0}}
    >>> added_cost(size, "a", "b")
    {'cost_s': 5.0, 'time': 1.25, 'memory': None}
    """
    base, extra = size.get(without) or {}, size.get(with_) or {}

    def minus(x: float | None, y: float | None) -> float | None:
        return None if x is None or y is None else x - y

    cost = minus(extra.get("wall_s"), base.get("wall_s"))
    out: dict = {
        "cost_s": cost,
        "time": ratio(extra.get("wall_s"), base.get("wall_s")),
        "memory": ratio(extra.get("peak_kib"), base.get("peak_kib")),
    }
    if sample is not None:
        sample_cost = added_cost(sample, without, with_)["cost_s"]
        out["data_cost_s"] = minus(cost, sample_cost)
    if runs is not None and with_ in runs and without in runs:
        # one run of each per repeat, failed ones included: pair by repeat
        pairs = [
            run["wall_s"] / other["wall_s"]
            for run, other in zip(runs[with_], runs[without], strict=True)
            if run.get("rc") == 0 and other.get("rc") == 0 and other["wall_s"]
        ]
        out["time_spread"] = [min(pairs), max(pairs)] if pairs else None
    return out


def history_ratios(
    size: dict, sample: dict | None = None, runs: dict[str, list] | None = None
) -> dict:
    """What the history costs: (h) models + history beside (a) models only
    (:func:`added_cost`: h - a, h / a, and beyond the sample
    (h - a) - (h_b - a_b))."""
    return added_cost(size, "models", HISTORY, sample, runs)


def value_ratios(
    size: dict, sample: dict | None = None, runs: dict[str, list] | None = None
) -> dict:
    """What customer value costs: (a) models only beside (a0) models without
    customer value (:func:`added_cost`: a - a0, a / a0, and beyond the
    sample (a - a0) - (a_b - a0_b)). (a0) also leaves out segment_profiles,
    which reads customer_value, so the cost is slightly overstated."""
    return added_cost(size, NO_VALUE, "models", sample, runs)


def spark_ratios(size: dict) -> dict:
    """Spark over DuckDB, per Spark variant that ran: both the models-only
    build of the same input in the same benchmark run. ``time``: wall time
    over wall time; ``memory``: the Spark run's process tree (Python, driver
    and executor JVMs, sampled) over DuckDB's one process (/usr/bin/time)."""
    duck = size.get("models") or {}
    out = {}
    for variant in SPARK_MASTERS:
        spark = size.get(variant)
        if spark is None:
            continue
        out[variant] = {
            "time": ratio(spark["wall_s"], duck.get("wall_s")),
            "memory": ratio(spark.get("tree_peak_kib"), duck.get("peak_kib")),
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


def score_summary(runs: list[dict]) -> dict:
    """(f): the median scoring time over the repeats, wall and CPU."""
    out = summarise(runs)
    out["score_s"] = median(runs, "score_s")
    out["score_cpu_s"] = median(runs, "score_cpu_s")
    out["segments"] = next((r["segments"] for r in runs if "segments" in r), None)
    return out
