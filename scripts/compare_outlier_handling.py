"""Show what the outlier handling changes on a built database.

Compares K-Means segment sizes, and the k the project's rule picks, for three
treatments of the same customer features:

- raw: standardised original values (what a quick notebook does);
- log: log1p, then standardised;
- project: capped at var feature_cap_quantiles, signed log1p, standardised,
  read from int_customers__standardised (what the project clusters on).

Usage::

    .venv/bin/python -m scripts.compare_outlier_handling [--db segmentation.duckdb]
"""

from __future__ import annotations

import argparse

import duckdb
import numpy as np
import pandas as pd
from sklearn.cluster import KMeans

from segmentation.pipeline import evaluate_segmentations, feature_matrix
from tools.var_schema import default_settings

FEATURES = ("recency_days", "frequency", "monetary", "avg_order_value")


def standardise(values: np.ndarray) -> np.ndarray:
    """Columns to mean 0 and standard deviation 1."""
    return (values - values.mean(axis=0)) / values.std(axis=0)


def segment_sizes(X: np.ndarray, k: int) -> list[int]:
    """Segment sizes of a K-Means fit, largest first."""
    labels = KMeans(n_clusters=k, n_init=10, random_state=42).fit_predict(X)
    return sorted(np.bincount(labels).tolist(), reverse=True)


def compare(database: str) -> pd.DataFrame:
    """One row per treatment: sizes at k=2 and k=4, and the k the rule picks."""
    with duckdb.connect(database, read_only=True) as connection:
        features = connection.sql(
            "select * from internal.int_customers__features order by customer_id"
        ).df()
        project = connection.sql(
            "select * from internal.int_customers__standardised"
        ).df()
    original = features[list(FEATURES)].to_numpy(dtype=float)
    treatments = {
        "raw": standardise(original),
        "log": standardise(np.log1p(original)),
        "project (capped log)": feature_matrix(project, FEATURES),
    }
    settings = default_settings(
        segment_features=list(FEATURES), n_segments="auto", k_range=[2, 10]
    )
    rows = []
    for name, X in treatments.items():
        diagnostics = evaluate_segmentations(X, settings, max_names=10)
        chosen = diagnostics[diagnostics.is_selected].iloc[0]
        best_silhouette = diagnostics.loc[diagnostics.silhouette.idxmax()]
        rows.append(
            {
                "treatment": name,
                "k=2 sizes": segment_sizes(X, 2),
                "k=4 sizes": segment_sizes(X, 4),
                "best-silhouette k (silhouette)": (
                    f"{int(best_silhouette.k)} ({best_silhouette.silhouette:.2f})"
                ),
                "k the rule picks": int(chosen.k),
                "its smallest segment": f"{chosen.smallest_segment_share:.1%}",
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="segmentation.duckdb")
    args = parser.parse_args(argv)
    print(compare(args.db).to_string(index=False))


if __name__ == "__main__":
    main()
