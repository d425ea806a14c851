-- Per purchase model, the frequency groups of value_model_validation add up
-- to its `all` row, and `all` counts every customer who bought before the
-- holdout start (int_customers__value_inputs) with their holdout purchase
-- days: no calibration customer is lost or counted twice. Returns a row per
-- model that disagrees.

with

validation as (

    select * from {{ ref('value_model_validation') }}

),

value_inputs as (

    select * from {{ ref('int_customers__value_inputs') }}

),

group_totals as (

    select
        purchase_model,
        sum(customers) as customers,
        sum(actual_purchase_days) as actual_purchase_days
    from validation
    where frequency_group != 'all'
    group by 1

),

all_rows as (

    select
        purchase_model,
        customers,
        actual_purchase_days
    from validation
    where frequency_group = 'all'

),

calibration_totals as (

    select
        count(*) as customers,
        sum(holdout_purchase_days) as actual_purchase_days
    from value_inputs
    where calibration_repeat_purchase_days is not null

),

failures as (

    select
        all_rows.purchase_model,
        all_rows.customers,
        group_totals.customers as group_customers,
        calibration_totals.customers as calibration_customers
    from all_rows
    cross join calibration_totals
    left join group_totals
        on all_rows.purchase_model = group_totals.purchase_model
    where
        group_totals.customers is null
        or group_totals.customers != all_rows.customers
        or group_totals.actual_purchase_days != all_rows.actual_purchase_days
        or calibration_totals.customers != all_rows.customers
        or calibration_totals.actual_purchase_days
        != all_rows.actual_purchase_days

)

select * from failures
