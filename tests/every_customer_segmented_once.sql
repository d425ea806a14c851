-- Every customer with features is in customer_segments exactly once, and
-- customer_segments has no one else. Returns each customer found zero times
-- or more than once.

with

features as (

    select * from {{ ref('int_customers__features') }}

),

segments as (

    select * from {{ ref('customer_segments') }}

),

segment_rows as (

    select
        customer_id,
        count(*) as segment_row_count
    from segments
    group by 1

),

checked as (

    select
        coalesce(features.customer_id, segment_rows.customer_id)
            as customer_id,
        features.customer_id is not null as has_features,
        coalesce(segment_rows.segment_row_count, 0) as segment_row_count
    from features
    full outer join segment_rows
        on features.customer_id = segment_rows.customer_id

),

failures as (

    select * from checked
    where not has_features or segment_row_count != 1

)

select * from failures
