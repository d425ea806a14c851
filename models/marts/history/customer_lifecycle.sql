{#- One row per customer of customer_segments: the lifecycle stage at the
    current as-of date, when the customer entered it (the first as-of date
    of the unbroken run of that stage which lasts to now), the stage before
    that run, and the current segment. -#}

with

segments as (

    select * from {{ ref('customer_segments') }}

),

lifecycle as (

    select * from {{ ref('int_customer_history__lifecycle') }}

),

run_starts as (

    -- a run of one stage starts where the stage differs from the previous
    -- date's (or at the customer's first date)
    select
        customer_id,
        as_of_date as stage_entered_on,
        previous_stage
    from lifecycle
    where stage is distinct from previous_stage

),

current_run_starts as (

    -- the latest start is the current run's: no other start after it
    select * from run_starts
    qualify row_number() over (
        partition by customer_id order by stage_entered_on desc
    ) = 1

),

customer_lifecycle as (

    select
        segments.customer_id,
        segments.as_of_date,
        lifecycle.stage,
        current_run_starts.stage_entered_on,
        current_run_starts.previous_stage,
        segments.segment_id,
        segments.segment_name,
        lifecycle.recency_days,
        lifecycle.tenure_days
    from segments
    inner join lifecycle
        on
            segments.customer_id = lifecycle.customer_id
            and segments.as_of_date = lifecycle.as_of_date
    inner join current_run_starts
        on segments.customer_id = current_run_starts.customer_id

)

select * from customer_lifecycle
order by customer_id
