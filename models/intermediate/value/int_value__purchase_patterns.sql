{#- One row per fit period and purchase pattern (repeat purchase days x and
    days since the first purchase T) that some customer has. A customer's
    expected purchases, given that the customer is still alive, depend on x
    and T alone, so int_value__expected_purchases computes them once per
    pattern, and this table stays bounded by the history's length in days
    times the number of distinct purchase counts, not by the number of
    customers. `full` is every customer at the as-of date; `calibration`
    those who bought before the holdout start, at that date. -#}

with

value_inputs as (

    select * from {{ ref('int_customers__value_inputs') }}

),

patterns as (

    select
        'full' as fit_period,
        repeat_purchase_days,
        days_since_first_purchase,
        count(*) as customers
    from value_inputs
    group by 1, 2, 3

    union all

    select
        'calibration' as fit_period,
        calibration_repeat_purchase_days as repeat_purchase_days,
        calibration_days_since_first_purchase as days_since_first_purchase,
        count(*) as customers
    from value_inputs
    where calibration_repeat_purchase_days is not null
    group by 1, 2, 3

)

select * from patterns
