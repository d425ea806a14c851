{#- The customers each as-of date's refit (int_segments__refits) is fitted
    on: the customers of the current fit sample (int_customers__fit_sample:
    all customers up to var fit_sample_size, above it a fixed-seed sample)
    as they were at that date, among those who had ordered by then. The same
    panel of customers is followed over time, so the last date's sample is
    the current fit's, a date's sample never exceeds fit_sample_size, and no
    per-date ranking of every customer is needed. The Python model only
    ever reads these bounded samples. -#}

with

standardised as (

    select * from {{ ref('int_customer_history__standardised') }}

),

fit_sample as (

    select * from {{ ref('int_customers__fit_sample') }}

),

sampled as (

    select
        standardised.*,
        fit_sample.sample_rank
    from standardised
    inner join fit_sample
        on standardised.customer_id = fit_sample.customer_id

)

select * from sampled
