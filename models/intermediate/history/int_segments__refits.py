"""One row per as-of date and segment: the current segments refitted on that
date's sample, started from the current model's centroids and matched to them
so that segment ids and names are the current ones, and how far each centroid
is from the current one and from the previous date's refit
(segmentation.refits.refit_history). Dates with fewer sample customers than
var min_refit_customers are not refitted."""

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
        min_customers=int(dbt.config.meta_get("min_refit_customers")),
    )
