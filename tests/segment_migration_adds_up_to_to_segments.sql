-- For each pair of consecutive as-of dates, the segment_migration rows into
-- a segment (from every segment and from new) add up to the segment's size
-- at the later date in customer_segment_history. With the from-segment test
-- (segment_migration_adds_up_to_from_segments) the migration matrix's rows
-- and columns both add up. Returns a row per segment and pair that
-- disagrees, a segment at a later date without rows included.

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

migrated_to as (

    select
        to_as_of_date,
        to_segment_id,
        sum(customers) as migrated_customers
    from migration
    group by 1, 2

),

segment_sizes as (

    -- every date but the first ends a pair
    select
        history.as_of_date as to_as_of_date,
        history.segment_id as to_segment_id,
        count(*) as segment_customers
    from history
    inner join as_of_dates
        on history.as_of_date = as_of_dates.as_of_date
    where as_of_dates.previous_as_of_date is not null
    group by 1, 2

),

comparison as (

    select
        coalesce(
            segment_sizes.to_as_of_date, migrated_to.to_as_of_date
        ) as to_as_of_date,
        coalesce(
            segment_sizes.to_segment_id, migrated_to.to_segment_id
        ) as to_segment_id,
        segment_sizes.segment_customers,
        migrated_to.migrated_customers
    from segment_sizes
    full outer join migrated_to
        on
            segment_sizes.to_as_of_date = migrated_to.to_as_of_date
            and segment_sizes.to_segment_id = migrated_to.to_segment_id

),

failures as (

    select * from comparison
    where
        segment_customers is null
        or migrated_customers is null
        or segment_customers != migrated_customers

)

select * from failures
