{#- One row per customer with at least one kept line: recency, frequency,
    monetary value, average order value and the profile columns the marts
    show. Everything but distinct_products comes from the per-invoice audit;
    returns come from the customer's counted cancellations. monetary is net
    of those returns (var monetary_basis), so an order that was taken back
    does not make a customer valuable. distinct_products reads every raw line
    once more, so it is counted only with var count_distinct_products: true
    (null otherwise). -#}
{%- set as_of_date = as_of_date_literal() -%}
{%- set net_of_returns = var('monetary_basis') == 'net' -%}
-- depends_on: {{ ref('int_lines__checked') }}

with

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

kept_invoices as (

    select * from invoices
    where outcome = 'kept'

),

returned_invoices as (

    select * from invoices
    where returned_line_count > 0

),

as_of as (

    select
        {%- if as_of_date %}
        {{ as_of_date }} as as_of_date
        {%- else %}
        cast(
            {{ dbt.dateadd('day', 1, 'max(cast(last_invoiced_at as date))') }}
            as date
        ) as as_of_date
        from kept_invoices
        {%- endif %}

),

purchases as (

    select
        customer_id,
        cast(min(first_invoiced_at) as date) as first_order_date,
        cast(max(last_invoiced_at) as date) as last_order_date,
        count(distinct invoice_id) as frequency,
        -- money is rounded to cents: sums of floats in parallel differ in the
        -- last bits, and reruns must give identical figures
        {{ round_hundredths('sum(line_value)') }} as gross_monetary,
        sum(units) as units
    from kept_invoices
    group by 1

),

{%- if var('count_distinct_products') %}

lines as (

    select * from {{ ref('int_lines__checked') }}

),

kept_products as (

    -- copies of a line have the same product, so the lines that would be
    -- kept without their copies have the same products as the kept ones
    select distinct
        customer_id,
        product_id
    from lines
    where exclusion_reason_if_unique is null

),

products as (

    select
        customer_id,
        count(product_id) as distinct_products
    from kept_products
    group by 1

),

{%- else %}

products as (

    -- not counted (var count_distinct_products): no pass over the lines
    select
        customer_id,
        cast(null as {{ dbt.type_bigint() }}) as distinct_products
    from kept_invoices
    where false

),

{%- endif %}

returns as (

    select
        customer_id,
        count(distinct invoice_id) as returned_orders,
        {{ round_hundredths('sum(returned_value)') }} as returned_value
    from returned_invoices
    group by 1

),

country_lines as (

    select
        customer_id,
        country,
        sum(line_count) as line_count
    from kept_invoices
    group by 1, 2

),

main_country as (

    -- the country of most of the customer's kept lines; ties go to the
    -- alphabetically first country
    select
        customer_id,
        country
    from country_lines
    qualify row_number() over (
        partition by customer_id
        order by line_count desc, country asc
    ) = 1

),

spend as (

    select
        purchases.customer_id,
        purchases.gross_monetary,
        coalesce(returns.returned_value, 0) as returned_value,
        {%- if net_of_returns %}
        -- floored at 0: a return can refer to a purchase made before the
        -- file starts, and nobody is worth less than nothing
        greatest(
            {{ round_hundredths(
                'purchases.gross_monetary - coalesce(returns.returned_value, 0)'
            ) }},
            0
        ) as monetary
        {%- else %}
        purchases.gross_monetary as monetary
        {%- endif %}
    from purchases
    left join returns
        on purchases.customer_id = returns.customer_id

),

features as (

    select
        purchases.customer_id,
        main_country.country,
        purchases.first_order_date,
        purchases.last_order_date,
        as_of.as_of_date,
        -- bigint on every engine (Spark's datediff is int)
        cast(
            {{ dbt.datediff('purchases.last_order_date', 'as_of.as_of_date', 'day') }}
            as bigint
        ) as recency_days,
        purchases.frequency,
        spend.monetary,
        {{ money_per("spend.monetary", "purchases.frequency") }} as avg_order_value,
        spend.gross_monetary,
        -- bigint on every engine (Spark's datediff is int)
        cast(
            {{ dbt.datediff('purchases.first_order_date', 'as_of.as_of_date', 'day') }}
            as bigint
        ) as tenure_days,
        purchases.units,
        products.distinct_products,
        coalesce(returns.returned_orders, 0) as returned_orders,
        spend.returned_value
    from purchases
    cross join as_of
    inner join spend
        on purchases.customer_id = spend.customer_id
    left join main_country
        on purchases.customer_id = main_country.customer_id
    left join products
        on purchases.customer_id = products.customer_id
    left join returns
        on purchases.customer_id = returns.customer_id

)

select * from features
