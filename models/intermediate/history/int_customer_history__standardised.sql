{#- One row per customer and as-of date: the features of
    int_customer_history__features in the current model's space (its caps,
    log and standardisation: int_features__scaling), by the same SQL as
    int_customers__standardised, so that every date is scored against the
    same centroids and labels compare across dates. -#}

with

customers as (

    select * from {{ ref('int_customer_history__features') }}

),

scaling as (

    select * from {{ ref('int_features__scaling') }}

),

{{ standardise_features(['customer_id', 'as_of_date']) }}

select * from standardised
