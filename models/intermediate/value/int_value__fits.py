"""One row per fit: BG/NBD and MBG/NBD on the fit sample's purchase days at
the as-of date (`full`) and before the holdout (`calibration`), and
Gamma-Gamma on the value of their repeat purchase days, by maximum likelihood
(segmentation.value.fit_value_models)."""

from segmentation.pipeline import to_pandas
from segmentation.value import fit_value_models


def model(dbt, session):
    dbt.config(materialized="table")
    return fit_value_models(to_pandas(dbt.ref("int_customers__value_fit_sample")))
