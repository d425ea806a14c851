-- Which segment is shrinking fastest? Each segment's customers at the
-- current as-of date against periods_back as-of dates earlier (three
-- months with the default var history_grain), as a change in customers,
-- a rate of change and a change in share of all customers; sorted with the
-- fastest shrinking (the lowest rate) first. A segment empty at one of the
-- two dates counts 0 there.
{%- set periods_back = 3 %}

with

history as (

    select * from {{ ref('customer_segment_history') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

numbered_dates as (

    select
        as_of_date,
        date_number,
        max(date_number) over () as current_date_number
    from as_of_dates

),

compared_dates as (

    -- the current date and the one periods_back dates before it (the
    -- first date, when the history is shorter)
    select
        max(as_of_date) as now_as_of_date,
        max(
            case
                when
                    date_number
                    = greatest(current_date_number - {{ periods_back }}, 1)
                    then as_of_date
            end
        ) as then_as_of_date
    from numbered_dates

),

segment_sizes as (

    select
        history.segment_id,
        history.segment_name,
        sum(
            case
                when history.as_of_date = compared_dates.then_as_of_date
                    then 1
                else 0
            end
        ) as then_customers,
        sum(
            case
                when history.as_of_date = compared_dates.now_as_of_date
                    then 1
                else 0
            end
        ) as now_customers
    from history
    cross join compared_dates
    where
        history.as_of_date in (
            compared_dates.then_as_of_date, compared_dates.now_as_of_date
        )
    group by history.segment_id, history.segment_name

),

totals as (

    select
        sum(then_customers) as then_total,
        sum(now_customers) as now_total
    from segment_sizes

),

changes as (

    select
        compared_dates.then_as_of_date,
        compared_dates.now_as_of_date,
        segment_sizes.segment_id,
        segment_sizes.segment_name,
        segment_sizes.then_customers,
        segment_sizes.now_customers,
        segment_sizes.now_customers
        - segment_sizes.then_customers as customer_change,
        round(
            (segment_sizes.now_customers - segment_sizes.then_customers)
            / cast(
                nullif(segment_sizes.then_customers, 0) as {{ type_double() }}
            ),
            6
        ) as customer_change_rate,
        round(
            segment_sizes.then_customers
            / cast(totals.then_total as {{ type_double() }}),
            6
        ) as then_customer_share,
        round(
            segment_sizes.now_customers
            / cast(totals.now_total as {{ type_double() }}),
            6
        ) as now_customer_share
    from segment_sizes
    cross join totals
    cross join compared_dates

)

select * from changes
order by customer_change_rate asc nulls last, segment_id asc
