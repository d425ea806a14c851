{#- The value inputs of the customers K-Means is fitted on
    (int_customers__fit_sample: all customers up to var fit_sample_size, a
    fixed-seed sample above it): the purchase models and Gamma-Gamma are
    fitted on them, so the Python model reads a bounded table however many
    customers there are. -#}

with

value_inputs as (

    select * from {{ ref('int_customers__value_inputs') }}

),

fit_sample as (

    select * from {{ ref('int_customers__fit_sample') }}

),

sampled as (

    select value_inputs.*
    from value_inputs
    inner join fit_sample
        on value_inputs.customer_id = fit_sample.customer_id

)

select * from sampled
