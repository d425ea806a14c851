{#- The customers K-Means is fitted on: all of them up to var fit_sample_size,
    above it a fixed-seed sample. The sample is drawn by ranking a hash of
    random_state and customer_id, so it does not depend on row order and a
    customer stays in (or out of) the sample from one run to the next. -#}
{{ config(post_hook="{{ assert_enough_customers() }}") }}

with

standardised as (

    select * from {{ ref('int_customers__standardised') }}

),

ranked as (

    select
        *,
        row_number() over (
            order by
                {{ dbt.hash(dbt.concat([
                    sql_string(var('random_state')), "'-'", 'customer_id'
                ])) }},
                customer_id
        ) as sample_rank
    from standardised

),

sampled as (

    select * from ranked
    where sample_rank <= {{ var('fit_sample_size') | int }}

)

select * from sampled
