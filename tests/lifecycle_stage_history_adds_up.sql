-- At every as-of date the stages of lifecycle_stage_history add up to the
-- customers of customer_segment_history: every customer who had ordered
-- gets exactly one stage. Any row here is a date where they differ.

with

stage_totals as (

    select
        as_of_date,
        sum(customers) as staged_customers
    from {{ ref('lifecycle_stage_history') }}
    group by 1

),

history_totals as (

    select
        as_of_date,
        count(*) as customers
    from {{ ref('customer_segment_history') }}
    group by 1

)

select
    coalesce(stage_totals.as_of_date, history_totals.as_of_date) as as_of_date,
    stage_totals.staged_customers,
    history_totals.customers
from stage_totals
full outer join history_totals
    on stage_totals.as_of_date = history_totals.as_of_date
where
    stage_totals.staged_customers is null
    or history_totals.customers is null
    or stage_totals.staged_customers != history_totals.customers
