"""One row per k tried: fit quality, stability and the k rule's verdict."""

from segmentation.pipeline import evaluate_segmentations, feature_matrix, to_pandas
from segmentation.settings import parse_settings


def model(dbt, session):
    dbt.config(materialized="table")
    settings = parse_settings(dbt.config.meta_get("segmentation_settings"))
    naming_seeds = {
        "rfm": dbt.ref("segment_names_rfm"),
        "action": dbt.ref("segment_names_action"),
    }
    names = to_pandas(naming_seeds[settings.naming_scheme])
    X = feature_matrix(
        to_pandas(dbt.ref("int_customers__fit_sample")), settings.features
    )
    return evaluate_segmentations(X, settings, max_names=len(names))
