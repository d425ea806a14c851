"""One row per clustering feature: one-way ANOVA across the segments, on the
fit sample (F statistic and p-value)."""

from segmentation.pipeline import feature_anova, feature_matrix, to_pandas
from segmentation.settings import parse_settings


def model(dbt, session):
    dbt.config(materialized="table")
    settings = parse_settings(dbt.config.meta_get("segmentation_settings"))
    X = feature_matrix(
        to_pandas(dbt.ref("int_customers__fit_sample")), settings.features
    )
    centroids = to_pandas(dbt.ref("int_segments__centroids"))
    return feature_anova(X, centroids, settings.features)
