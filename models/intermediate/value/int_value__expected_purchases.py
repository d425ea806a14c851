"""One row per purchase model, fit period and purchase pattern: the purchase
days a customer with that pattern is expected to make, if still alive, in
the next var value_horizon_days (`full`) or in the holdout (`calibration`),
undiscounted and discounted monthly at var annual_discount_rate
(segmentation.value.expected_purchases_table). SQL multiplies them by each
customer's probability of being alive."""

from segmentation.pipeline import to_pandas
from segmentation.value import expected_purchases_table


def model(dbt, session):
    dbt.config(materialized="table")
    return expected_purchases_table(
        to_pandas(dbt.ref("int_value__fits")),
        to_pandas(dbt.ref("int_value__purchase_patterns")),
        horizon_days=int(dbt.config.meta_get("value_horizon_days")),
        holdout_days=int(dbt.config.meta_get("value_holdout_days")),
        annual_discount_rate=float(dbt.config.meta_get("annual_discount_rate")),
    )
