{#- One row per customer and as-of date of the history: the customer's
    lifecycle stage by the rules of doc lifecycle_stage (thresholds in vars
    lifecycle_new_days, lifecycle_at_risk_days, lifecycle_churned_days), and
    the stage at the previous as-of date. A customer has a row at every
    as-of date after the first order (the features are cumulative), so the
    customer's previous row is the previous as-of date. -#}

with

features as (

    select * from {{ ref('int_customer_history__features') }}

),

recency_stages as (

    -- the rules that need no earlier date; null: new, reactivated or active
    select
        customer_id,
        as_of_date,
        recency_days,
        tenure_days,
        case
            when recency_days >= {{ var('lifecycle_churned_days') }}
                then 'churned'
            when recency_days >= {{ var('lifecycle_at_risk_days') }}
                then 'at_risk'
            when tenure_days < {{ var('lifecycle_new_days') }}
                then 'new'
        end as recency_stage
    from features

),

with_previous_churn as (

    select
        *,
        -- churned depends on recency alone, so the previous date's churn
        -- is known before any stage is: no recursion
        coalesce(
            lag(recency_stage) over (
                partition by customer_id order by as_of_date
            ) = 'churned',
            false
        ) as was_churned
    from recency_stages

),

stages as (

    select
        customer_id,
        as_of_date,
        recency_days,
        tenure_days,
        case
            when recency_stage is not null then recency_stage
            -- churned then and not now: ordered since the previous date,
            -- back after being churned; for one period, then active
            when was_churned then 'reactivated'
            else 'active'
        end as stage
    from with_previous_churn

),

lifecycle as (

    select
        customer_id,
        as_of_date,
        stage,
        lag(stage) over (
            partition by customer_id order by as_of_date
        ) as previous_stage,
        recency_days,
        tenure_days
    from stages

)

select * from lifecycle
