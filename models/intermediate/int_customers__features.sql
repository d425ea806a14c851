{#- One row per customer with at least one kept line: recency, frequency,
    monetary value, average order value and the profile columns the marts
    show, at the current as-of date. The history's features at one date
    (macro customer_features, shared with int_customer_history__features):
    everything but distinct_products comes from the per-invoice audit;
    returns come from the customer's counted cancellations. monetary is net
    of those returns (var monetary_basis), so an order that was taken back
    does not make a customer valuable. distinct_products reads every raw line
    once more, so it is counted only with var count_distinct_products: true
    (null otherwise). -#}
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

    -- the current date alone: every order before it is in its period
    select
        as_of_date,
        cast(null as date) as previous_as_of_date
    from {{ ref('int_as_of_dates__spine') }}
    where is_current

),

{{ customer_features(single_date=true) }}

select * from features
