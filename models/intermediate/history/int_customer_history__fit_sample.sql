{#- The customers each as-of date's refit (int_segments__refits) is fitted
    on: at each date all of them up to var fit_sample_size, above it a
    fixed-seed sample, ranked as int_customers__fit_sample ranks them (a hash
    of random_state and customer_id), so a customer stays in or out from one
    date to the next and the last date's sample is the current fit's. The
    Python model only ever reads these bounded samples. -#}

with

standardised as (

    select * from {{ ref('int_customer_history__standardised') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by as_of_date
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
