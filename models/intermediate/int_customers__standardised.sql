{#- One row per customer: each clustering feature capped, log-transformed and
    standardised with the parameters in int_features__scaling. This is the
    space K-Means works in. -#}

with

customers as (

    select * from {{ ref('int_customers__features') }}

),

scaling as (

    select * from {{ ref('int_features__scaling') }}

),

{{ standardise_features(['customer_id']) }}

select * from standardised
