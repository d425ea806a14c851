{#- One row per customer: every feature, the segment the customer belongs to
    and its name, and the customer's place on the PCA scatter. -#}

{#- var export_parquet: one audience CSV per segment for CRM and ads tools -#}
{{ config(post_hook="{{ export_audiences() }}") }}

with

features as (

    select * from {{ ref('int_customers__features') }}

),

assignment as (

    select * from {{ ref('int_customers__segment_assignment') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

customer_segments as (

    select
        features.customer_id,
        assignment.segment_id,
        centroids.segment_name,
        features.country,
        features.first_order_date,
        features.last_order_date,
        features.as_of_date,
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
        assignment.distance_to_centroid,
        assignment.pca_1,
        assignment.pca_2
    from features
    inner join assignment
        on features.customer_id = assignment.customer_id
    inner join centroids
        on assignment.segment_id = centroids.segment_id

)

select * from customer_segments
order by customer_id
