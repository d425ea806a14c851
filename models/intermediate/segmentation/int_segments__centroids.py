"""One row per segment: id (1 = most valuable), name, action and centroid.

Takes the K-Means fit of the k that int_segments__k_evaluation selected (it
is not fitted twice). The previous run's ids and names are kept only when it
read the same input, its centroids match in this run's space and the names
still fit (segmentation.pipeline.carry_over_previous); naming_verdict says why.
"""

from segmentation.pipeline import (
    build_centroids,
    feature_matrix,
    selected_centroids,
    to_pandas,
)
from segmentation.settings import parse_settings


def previous_run(session, relation):
    """This model's table from the previous run, or None on the first run."""
    try:
        return to_pandas(session.sql(f"select * from {relation}"))
    except Exception:  # noqa: BLE001 - any failure means: no previous run
        return None


def model(dbt, session):
    dbt.config(materialized="table")
    settings = parse_settings(dbt.config.meta_get("segmentation_settings"))
    naming_seeds = {
        "rfm": dbt.ref("segment_names_rfm"),
        "action": dbt.ref("segment_names_action"),
    }
    names = to_pandas(naming_seeds[settings.naming_scheme])
    evaluation = to_pandas(dbt.ref("int_segments__k_evaluation"))
    k, fitted = selected_centroids(evaluation, settings.features)
    X = feature_matrix(
        to_pandas(dbt.ref("int_customers__fit_sample")), settings.features
    )
    return build_centroids(
        X,
        k,
        settings,
        names,
        previous_run(session, dbt.this),
        fitted,
        scaling=to_pandas(dbt.ref("int_features__scaling")),
    )
