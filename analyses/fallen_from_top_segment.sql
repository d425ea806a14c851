-- Which customers were in the top segment a quarter ago and are now in one
-- of the two lowest? A quarter ago: the latest as-of date of the history on
-- or before three months before the current one (so any var history_grain
-- works). Top and lowest by the segments' value_score, which orders segment
-- ids when segments are named afresh (1 = top, the highest ids lowest) and
-- stays right when a rerun keeps older ids. Sorted by what they had spent a
-- quarter ago, so the most valuable losses come first.

with

history as (

    select * from {{ ref('customer_segment_history') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

segments as (

    select * from {{ ref('segment_profiles') }}

),

current_as_of as (

    select as_of_date
    from as_of_dates
    where is_current

),

quarter_ago as (

    select max(as_of_dates.as_of_date) as as_of_date
    from as_of_dates
    cross join current_as_of
    where
        as_of_dates.as_of_date
        <= cast(
            {{ dbt.dateadd('month', -3, 'current_as_of.as_of_date') }} as date
        )

),

segment_ranks as (

    select
        segment_id,
        row_number() over (
            order by value_score desc, segment_id asc
        ) as rank_from_top,
        row_number() over (
            order by value_score asc, segment_id desc
        ) as rank_from_bottom
    from segments

),

top_then as (

    select history.*
    from history
    inner join quarter_ago
        on history.as_of_date = quarter_ago.as_of_date
    inner join segment_ranks
        on history.segment_id = segment_ranks.segment_id
    where segment_ranks.rank_from_top = 1

),

lowest_now as (

    select history.*
    from history
    inner join current_as_of
        on history.as_of_date = current_as_of.as_of_date
    inner join segment_ranks
        on history.segment_id = segment_ranks.segment_id
    where segment_ranks.rank_from_bottom <= 2

),

fallen as (

    select
        top_then.customer_id,
        lowest_now.country,
        top_then.as_of_date as then_as_of_date,
        top_then.segment_name as then_segment_name,
        lowest_now.as_of_date as now_as_of_date,
        lowest_now.segment_id as now_segment_id,
        lowest_now.segment_name as now_segment_name,
        top_then.monetary as then_monetary,
        lowest_now.monetary as now_monetary,
        top_then.frequency as then_frequency,
        lowest_now.frequency as now_frequency,
        lowest_now.last_order_date,
        lowest_now.recency_days
    from top_then
    inner join lowest_now
        on top_then.customer_id = lowest_now.customer_id

)

select * from fallen
order by then_monetary desc, customer_id asc
