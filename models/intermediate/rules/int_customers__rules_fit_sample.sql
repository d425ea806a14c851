{#- The customers the rules' decision tree is fitted on: the K-Means fit
    sample (int_customers__fit_sample, bounded by var fit_sample_size), with
    the clustering features in their own units, as customer_segments carries
    them, and the segment SQL assigned each one. -#}

with

features as (

    select * from {{ ref('int_customers__features') }}

),

assignment as (

    select * from {{ ref('int_customers__segment_assignment') }}

),

fit_sample as (

    select * from {{ ref('int_customers__fit_sample') }}

),

sampled as (

    select
        features.customer_id,
        assignment.segment_id,
        {%- for feature in var('segment_features') %}
        features.{{ feature }}{{ ',' if not loop.last }}
        {%- endfor %}
    from fit_sample
    inner join features
        on fit_sample.customer_id = features.customer_id
    inner join assignment
        on fit_sample.customer_id = assignment.customer_id

)

select * from sampled
