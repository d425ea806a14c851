{#- One row per customer and as-of date (int_as_of_dates__spine) at which the
    customer has a kept order: the segment of the current model the
    customer was in at that date, and every feature measured then. At the
    current as-of date the rows are customer_segments. -#}

with

features as (

    select * from {{ ref('int_customer_history__features') }}

),

assignment as (

    select * from {{ ref('int_customer_history__segment_assignment') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

customer_segment_history as (

    select
        features.customer_id,
        features.as_of_date,
        assignment.segment_id,
        centroids.segment_name,
        features.country,
        features.first_order_date,
        features.last_order_date,
        features.recency_days,
        features.frequency,
        features.monetary,
        features.avg_order_value,
        features.gross_monetary,
        features.tenure_days,
        features.units,
        features.distinct_products,
        features.returned_orders,
        features.returned_value,
        assignment.is_capped,
        assignment.distance_to_centroid
    from features
    inner join assignment
        on
            features.customer_id = assignment.customer_id
            and features.as_of_date = assignment.as_of_date
    inner join centroids
        on assignment.segment_id = centroids.segment_id

)

select * from customer_segment_history
order by as_of_date, customer_id
