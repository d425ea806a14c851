{#- One row per purchase model and calibration frequency group (0 to 6
    repeat purchase days, 7+, and `all`): both purchase models refitted on
    the orders before the holdout start (value_model, fit_period
    `calibration`) predict each customer's purchase days in the holdout (the
    last var value_holdout_days days before the as-of date), beside what the
    customers did. Customers whose first purchase falls in the holdout are
    not in it: no model of repeat buying predicts a first purchase. -#}
{%- set top_group = 7 -%}

with

value_inputs as (

    select * from {{ ref('int_customers__value_inputs') }}

),

fits as (

    select * from {{ ref('int_value__fits') }}

),

expected_purchases as (

    select * from {{ ref('int_value__expected_purchases') }}

),

calibration_fits as (

    select
        purchase_model,
        r,
        alpha,
        a,
        b
    from fits
    where
        fit_period = 'calibration'
        and purchase_model in ('bg_nbd', 'mbg_nbd')

),

calibration_customers as (

    select
        value_inputs.customer_id,
        value_inputs.as_of_date,
        value_inputs.holdout_start_date,
        value_inputs.calibration_repeat_purchase_days,
        value_inputs.holdout_purchase_days,
        calibration_fits.purchase_model,
        {{ p_alive(
            'calibration_fits',
            'value_inputs.calibration_repeat_purchase_days',
            'value_inputs.calibration_days_first_to_last_purchase',
            'value_inputs.calibration_days_since_first_purchase',
        ) }} * expected_purchases.expected_purchases_if_alive
            as predicted_purchase_days
    from value_inputs
    cross join calibration_fits
    inner join expected_purchases
        on
            calibration_fits.purchase_model = expected_purchases.purchase_model
            and expected_purchases.fit_period = 'calibration'
            and value_inputs.calibration_repeat_purchase_days
            = expected_purchases.repeat_purchase_days
            and value_inputs.calibration_days_since_first_purchase
            = expected_purchases.days_since_first_purchase
    where value_inputs.calibration_repeat_purchase_days is not null

),

grouped as (

    -- each customer counts in the group of its repeat purchase days (7 and
    -- more together) and in `all`
    select
        purchase_model,
        group_order,
        min(holdout_start_date) as holdout_start_date,
        min(as_of_date) as holdout_end_date,
        count(*) as customers,
        sum(predicted_purchase_days) as predicted_purchase_days,
        sum(holdout_purchase_days) as actual_purchase_days,
        avg(abs(predicted_purchase_days - holdout_purchase_days))
            as mean_absolute_error
    from (
        select
            *,
            case
                when calibration_repeat_purchase_days >= {{ top_group }}
                    then {{ top_group }}
                else calibration_repeat_purchase_days
            end as group_order
        from calibration_customers

        union all

        select
            *,
            {{ top_group + 1 }} as group_order
        from calibration_customers
    ) as customer_groups
    group by 1, 2

),

validation as (

    select
        purchase_model,
        case
            when group_order = {{ top_group + 1 }} then 'all'
            when group_order = {{ top_group }} then '{{ top_group }}+'
            else cast(group_order as {{ dbt.type_string() }})
        end as frequency_group,
        group_order,
        holdout_start_date,
        holdout_end_date,
        customers,
        round(predicted_purchase_days, 6) as predicted_purchase_days,
        cast(actual_purchase_days as {{ dbt.type_bigint() }})
            as actual_purchase_days,
        round(predicted_purchase_days / customers, 6)
            as mean_predicted_purchase_days,
        round(
            actual_purchase_days / cast(customers as {{ type_double() }}), 6
        ) as mean_actual_purchase_days,
        round(predicted_purchase_days / nullif(actual_purchase_days, 0), 6)
            as predicted_to_actual_ratio,
        round(mean_absolute_error, 6) as mean_absolute_error
    from grouped

)

select * from validation
