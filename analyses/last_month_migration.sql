-- What moved last month? The flows of segment_migration between the last
-- two as-of dates (the last month with the default var history_grain),
-- biggest first: customers who changed segment, and the new customers by
-- the segment they joined. The customers who stayed in their segment are
-- left out (segment_migration has them).

with

migration as (

    select * from {{ ref('segment_migration') }}

),

last_pair as (

    select max(to_as_of_date) as to_as_of_date
    from migration

),

flows as (

    select
        migration.from_as_of_date,
        migration.to_as_of_date,
        case
            when migration.from_segment_id is null then 'new'
            else 'moved'
        end as flow,
        migration.from_segment_id,
        migration.from_segment_name,
        migration.to_segment_id,
        migration.to_segment_name,
        migration.customers,
        migration.share_of_from,
        migration.revenue
    from migration
    inner join last_pair
        on migration.to_as_of_date = last_pair.to_as_of_date
    where
        migration.from_segment_id is null
        or migration.from_segment_id != migration.to_segment_id

)

select * from flows
order by customers desc, revenue desc, from_segment_name asc, to_segment_id asc
