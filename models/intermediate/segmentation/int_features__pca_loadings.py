"""One row per clustering feature: its loadings on the first two principal
components, which int_customers__segment_assignment turns into pca_1, pca_2."""

from segmentation.pipeline import feature_matrix, feature_pca, to_pandas
from segmentation.settings import parse_settings


def model(dbt, session):
    dbt.config(materialized="table")
    settings = parse_settings(dbt.config.meta_get("segmentation_settings"))
    X = feature_matrix(
        to_pandas(dbt.ref("int_customers__fit_sample")), settings.features
    )
    return feature_pca(X, settings.features)
