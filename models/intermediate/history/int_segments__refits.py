"""One row per as-of date and segment: the current segments refitted on that
date's sample, started from the previous date's refit and matched to it so
that segment ids carry, and how far each centroid moved
(segmentation.refits.refit_history)."""

from segmentation.pipeline import to_pandas
from segmentation.refits import refit_history
from segmentation.settings import parse_settings


def model(dbt, session):
    dbt.config(materialized="table")
    settings = parse_settings(dbt.config.meta_get("segmentation_settings"))
    return refit_history(
        to_pandas(dbt.ref("int_customer_history__fit_sample")),
        to_pandas(dbt.ref("int_segments__centroids")),
        settings.features,
        settings.random_state,
        scaling=to_pandas(dbt.ref("int_features__scaling")),
    )
