{#- One row per customer and as-of date of int_as_of_dates__spine at which the
    customer has a kept order: the features of int_customers__features, by
    the same SQL (macro customer_features), measured at that date from the
    orders strictly before it. At the current as-of date the rows are
    int_customers__features. -#}
-- depends_on: {{ ref('int_lines__checked') }}

with

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

{%- if var('count_distinct_products') %}

lines as (

    select * from {{ ref('int_lines__checked') }}

),

{%- endif %}

as_of_dates as (

    select
        as_of_date,
        previous_as_of_date
    from {{ ref('int_as_of_dates__spine') }}

),

{{ customer_features() }}

select * from features
