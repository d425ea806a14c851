{# The CTEs that compute every customer feature at each as-of date: one
   code path for int_customers__features (the current as-of date alone) and
   int_customer_history__features (every as-of date of the history), so the
   two cannot drift apart. The caller's import CTEs: `invoices`
   (int_invoice_outcomes__audited), `as_of_dates` (a column as_of_date) and,
   with var count_distinct_products, `lines` (int_lines__checked). The last
   CTE is `features`: one row per customer and as-of date at which the
   customer has a kept order, from the orders strictly before that date.
   An invoice counts from the first as-of date after its last line. #}
{% macro customer_features() -%}
{%- set net_of_returns = var('monetary_basis') == 'net' -%}

invoices_at_dates as (

    select
        invoices.*,
        as_of_dates.as_of_date
    from invoices
    inner join as_of_dates
        on cast(invoices.last_invoiced_at as date) < as_of_dates.as_of_date

),

kept_invoices as (

    select * from invoices_at_dates
    where outcome = 'kept'

),

returned_invoices as (

    select * from invoices_at_dates
    where returned_line_count > 0

),

purchases as (

    select
        customer_id,
        as_of_date,
        cast(min(first_invoiced_at) as date) as first_order_date,
        cast(max(last_invoiced_at) as date) as last_order_date,
        count(distinct invoice_id) as frequency,
        -- money is rounded to cents: sums of floats in parallel differ in the
        -- last bits, and reruns must give identical figures
        {{ round_hundredths('sum(line_value)') }} as gross_monetary,
        sum(units) as units
    from kept_invoices
    group by 1, 2

),

{%- if var('count_distinct_products') %}

kept_products as (

    -- copies of a line have the same product, so the lines that would be
    -- kept without their copies have the same products as the kept ones;
    -- a product counts from the first as-of date after its first kept line
    select
        customer_id,
        product_id,
        min(cast(invoiced_at as date)) as first_bought_on
    from lines
    where exclusion_reason_if_unique is null
    group by 1, 2

),

products as (

    select
        kept_products.customer_id,
        as_of_dates.as_of_date,
        count(kept_products.product_id) as distinct_products
    from kept_products
    inner join as_of_dates
        on kept_products.first_bought_on < as_of_dates.as_of_date
    group by 1, 2

),

{%- else %}

products as (

    -- not counted (var count_distinct_products): no pass over the lines
    select
        customer_id,
        as_of_date,
        cast(null as {{ dbt.type_bigint() }}) as distinct_products
    from kept_invoices
    where false

),

{%- endif %}

returns as (

    select
        customer_id,
        as_of_date,
        count(distinct invoice_id) as returned_orders,
        {{ round_hundredths('sum(returned_value)') }} as returned_value
    from returned_invoices
    group by 1, 2

),

country_lines as (

    select
        customer_id,
        as_of_date,
        country,
        sum(line_count) as line_count
    from kept_invoices
    group by 1, 2, 3

),

main_country as (

    -- the country of most of the customer's kept lines; ties go to the
    -- alphabetically first country
    select
        customer_id,
        as_of_date,
        country
    from country_lines
    qualify row_number() over (
        partition by customer_id, as_of_date
        order by line_count desc, country asc
    ) = 1

),

spend as (

    select
        purchases.customer_id,
        purchases.as_of_date,
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
        on
            purchases.customer_id = returns.customer_id
            and purchases.as_of_date = returns.as_of_date

),

features as (

    select
        purchases.customer_id,
        main_country.country,
        purchases.first_order_date,
        purchases.last_order_date,
        purchases.as_of_date,
        -- bigint on every engine (Spark's datediff is int)
        cast(
            {{ dbt.datediff('purchases.last_order_date', 'purchases.as_of_date', 'day') }}
            as bigint
        ) as recency_days,
        purchases.frequency,
        spend.monetary,
        {{ money_per("spend.monetary", "purchases.frequency") }} as avg_order_value,
        spend.gross_monetary,
        -- bigint on every engine (Spark's datediff is int)
        cast(
            {{ dbt.datediff('purchases.first_order_date', 'purchases.as_of_date', 'day') }}
            as bigint
        ) as tenure_days,
        purchases.units,
        products.distinct_products,
        coalesce(returns.returned_orders, 0) as returned_orders,
        spend.returned_value
    from purchases
    inner join spend
        on
            purchases.customer_id = spend.customer_id
            and purchases.as_of_date = spend.as_of_date
    left join main_country
        on
            purchases.customer_id = main_country.customer_id
            and purchases.as_of_date = main_country.as_of_date
    left join products
        on
            purchases.customer_id = products.customer_id
            and purchases.as_of_date = products.as_of_date
    left join returns
        on
            purchases.customer_id = returns.customer_id
            and purchases.as_of_date = returns.as_of_date

)
{%- endmacro %}
