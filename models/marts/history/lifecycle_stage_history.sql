{#- One row per as-of date of the history and lifecycle stage (seed
    lifecycle_stages): how many customers were in the stage at that date,
    and their share of the date's customers. A stage nobody was in has a
    row with 0, so each stage is a series without gaps. -#}

with

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

stages as (

    select * from {{ ref('lifecycle_stages') }}

),

lifecycle as (

    select * from {{ ref('int_customer_history__lifecycle') }}

),

stage_counts as (

    select
        as_of_date,
        stage,
        count(*) as customers
    from lifecycle
    group by 1, 2

),

date_stages as (

    select
        as_of_dates.as_of_date,
        stages.stage,
        cast(stages.stage_order as {{ dbt.type_bigint() }}) as stage_order,
        cast(
            coalesce(stage_counts.customers, 0) as {{ dbt.type_bigint() }}
        ) as customers
    from as_of_dates
    cross join stages
    left join stage_counts
        on
            as_of_dates.as_of_date = stage_counts.as_of_date
            and stages.stage = stage_counts.stage

),

lifecycle_stage_history as (

    select
        as_of_date,
        stage,
        stage_order,
        customers,
        round(
            customers / cast(
                sum(customers) over (partition by as_of_date)
                as {{ type_double() }}
            ),
            6
        ) as customer_share
    from date_stages

)

select * from lifecycle_stage_history
order by 1, 3
