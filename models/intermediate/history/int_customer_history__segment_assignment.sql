{#- One row per customer and as-of date: the nearest current centroid
    (int_segments__centroids), by the same SQL as
    int_customers__segment_assignment. -#}

with

standardised as (

    select * from {{ ref('int_customer_history__standardised') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

{{ nearest_centroid(['customer_id', 'as_of_date']) }},

assigned as (

    select
        nearest.customer_id,
        nearest.as_of_date,
        nearest.segment_id,
        -- rounded as in int_customers__segment_assignment
        round(nearest.distance_to_centroid, 6) as distance_to_centroid,
        standardised.is_capped
    from nearest
    inner join standardised
        on
            nearest.customer_id = standardised.customer_id
            and nearest.as_of_date = standardised.as_of_date

)

select * from assigned
