"""Time scoring N customers in Python with ``segmentation.score`` (one DataFrame).

    python bench/score_customers.py --customers 1000000 [--model segment_model.json]

The model is the exported ``segment_model.json`` when given, else a model
document of the default four features and the largest k the default vars
allow (10 segments: the most distances per customer). The customers are
drawn at random in the features' own units (whole days and orders, money in
cents), so that caps and logs meet realistic values. Only the scoring call is
timed (the median of ``--repeat`` calls, after a warm-up call on a small
frame): not Python's start-up, the imports or the data generation. Prints one
JSON line: customers, segments, score_s (the median), score_runs_s and
score_cpu_s (the median CPU time, all threads).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

# Run as a script, Python puts bench/ on sys.path, not the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from segmentation.score import load_model, model_document, score  # noqa: E402

FEATURES = ["recency_days", "frequency", "monetary", "avg_order_value"]


def synthetic_model(n_segments: int = 10, seed: int = 0) -> dict:
    """A model document as int_segments__scoring_model writes it, with caps
    and log moments of the order of the UCI data's and random centroids."""
    rng = np.random.default_rng(seed)
    scaling = pd.DataFrame(
        {
            "feature_name": FEATURES,
            "feature_position": [1, 2, 3, 4],
            "lower_cap_quantile": 0.01,
            "upper_cap_quantile": 0.99,
            "lower_cap": [1.0, 1.0, 0.0, 0.0],
            "upper_cap": [370.0, 30.0, 19000.0, 1600.0],
            "log_mean": [3.8, 1.2, 6.5, 5.6],
            "log_std": [1.4, 0.7, 1.3, 0.8],
        }
    )
    centroids = pd.DataFrame(
        {
            "segment_id": np.arange(1, n_segments + 1),
            "segment_name": [f"Segment {i}" for i in range(1, n_segments + 1)],
            "recommended_action": "act",
            **{
                f"centroid_{f}": rng.normal(0, 1, n_segments).round(6) for f in FEATURES
            },
        }
    )
    return model_document(scaling, centroids, "2011-12-10")


def customers(n: int, seed: int = 1) -> pd.DataFrame:
    """n customers with an id and the four features in their units."""
    rng = np.random.default_rng(seed)
    frequency = rng.geometric(0.3, n)
    monetary = np.round(rng.lognormal(6.5, 1.3, n), 2)
    return pd.DataFrame(
        {
            "customer_id": np.arange(n).astype(str),
            "recency_days": rng.integers(1, 374, n),
            "frequency": frequency,
            "monetary": monetary,
            "avg_order_value": np.round(monetary / frequency, 2),
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--model", type=Path, help="segment_model.json")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    model = load_model(args.model) if args.model else synthetic_model()
    frame = customers(args.customers)
    score(frame.head(1000), model)
    runs, cpu = [], []
    for _ in range(max(args.repeat, 1)):
        started, started_cpu = time.perf_counter(), time.process_time()
        scored = score(frame, model)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    assert len(scored) == args.customers
    print(
        json.dumps(
            {
                "customers": args.customers,
                "segments": len(model["segments"]),
                "score_s": statistics.median(runs),
                "score_runs_s": runs,
                # CPU time of every thread: near the wall time of an idle
                # machine, when a busy one stretches the wall time
                "score_cpu_s": statistics.median(cpu),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
