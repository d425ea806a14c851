-- For each pair of consecutive as-of dates, the segment_migration rows of a
-- from-segment add up to the segment's size at the earlier date in
-- customer_segment_history: no customer is lost on the way to the later
-- date or counted twice. A segment with customers at the earlier date but
-- no row (or rows for a segment nobody was in) fails too. Returns a row
-- per segment and pair that disagrees.

with

migration as (

    select * from {{ ref('segment_migration') }}

),

history as (

    select * from {{ ref('customer_segment_history') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

migrated_from as (

    select
        from_as_of_date,
        from_segment_id,
        sum(customers) as migrated_customers
    from migration
    where from_segment_id is not null
    group by 1, 2

),

segment_sizes as (

    -- every date that has a later one starts a pair
    select
        history.as_of_date as from_as_of_date,
        history.segment_id as from_segment_id,
        count(*) as segment_customers
    from history
    inner join as_of_dates
        on history.as_of_date = as_of_dates.previous_as_of_date
    group by 1, 2

),

comparison as (

    select
        coalesce(
            segment_sizes.from_as_of_date, migrated_from.from_as_of_date
        ) as from_as_of_date,
        coalesce(
            segment_sizes.from_segment_id, migrated_from.from_segment_id
        ) as from_segment_id,
        segment_sizes.segment_customers,
        migrated_from.migrated_customers
    from segment_sizes
    full outer join migrated_from
        on
            segment_sizes.from_as_of_date = migrated_from.from_as_of_date
            and segment_sizes.from_segment_id = migrated_from.from_segment_id

),

failures as (

    select * from comparison
    where
        segment_customers is null
        or migrated_customers is null
        or segment_customers != migrated_customers

)

select * from failures
