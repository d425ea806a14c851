"""A Python model that imports scikit-learn, as the project's do, and copies
second_model: what every run of a project with a K-Means model pays."""

import sklearn.cluster  # noqa: F401 - the import is the cost being measured


def model(dbt, session):
    dbt.config(materialized="table")
    return dbt.ref("second_model").df()
