"""One row per rule: a decision tree of depth at most var rules_max_depth
from the clustering features in their own units to the K-Means segments,
fitted on the fit sample, each leaf read out in words and as a SQL
condition (segmentation.rules.rules_frame)."""

import json

from segmentation.pipeline import to_pandas
from segmentation.rules import MONEY_FEATURES, rules_frame


def model(dbt, session):
    dbt.config(materialized="table")
    settings = json.loads(dbt.config.meta_get("rules_settings"))
    return rules_frame(
        to_pandas(dbt.ref("int_customers__rules_fit_sample")),
        features=settings["features"],
        money_features=MONEY_FEATURES,
        max_depth=settings["max_depth"],
        min_leaf_share=settings["min_leaf_share"],
        random_state=settings["random_state"],
    )
