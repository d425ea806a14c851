"""One row: the fitted segment model as a JSON document, for scoring customers
without the warehouse (segmentation/score.py). Its post-hook writes the
document to <export_path>/segment_model.json when var export_parquet is on."""

from segmentation.pipeline import to_pandas
from segmentation.score import model_frame


def model(dbt, session):
    dbt.config(materialized="table")
    return model_frame(
        to_pandas(dbt.ref("int_features__scaling")),
        to_pandas(dbt.ref("int_segments__centroids")),
        to_pandas(dbt.ref("int_as_of_dates__spine")),
    )
