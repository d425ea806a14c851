{#- One row per customer: the nearest centroid (squared Euclidean distance in
    the standardised feature space) and the customer's position on the first
    two principal components. Scoring runs here, in the warehouse, so every
    customer is assigned however large the base, and new customers can be
    scored against stored centroids without refitting. -#}
{%- set features = var('segment_features') -%}

with

standardised as (

    select * from {{ ref('int_customers__standardised') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

loadings as (

    select * from {{ ref('int_features__pca_loadings') }}

),

{{ nearest_centroid(['customer_id']) }},

pca_weights as (

    -- the loadings side by side: one column per feature and component
    select
        {%- for feature in features %}
        {%- set is_feature = "feature_name = " ~ sql_string(feature) %}
        max(case when {{ is_feature }} then loading_pc1 end)
            as {{ feature }}__pc1,
        max(case when {{ is_feature }} then loading_pc2 end)
            as {{ feature }}__pc2
        {{- "," if not loop.last }}
        {%- endfor %}
    from loadings

),

projection as (

    select
        standardised.customer_id,
        {%- for component in ['pc1', 'pc2'] %}
        (
            {%- for feature in features %}
            standardised.{{ feature }}_scaled
            * pca_weights.{{ feature }}__{{ component }}
            {{- " +" if not loop.last }}
            {%- endfor %}
        ) as pca_{{ loop.index }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from standardised
    cross join pca_weights

),

assigned as (

    select
        nearest.customer_id,
        nearest.segment_id,
        -- rounded so that reruns on the same input are byte-identical
        round(nearest.distance_to_centroid, 6) as distance_to_centroid,
        round(projection.pca_1, 6) as pca_1,
        round(projection.pca_2, 6) as pca_2,
        standardised.is_capped
    from nearest
    inner join projection
        on nearest.customer_id = projection.customer_id
    inner join standardised
        on nearest.customer_id = standardised.customer_id

)

select * from assigned
