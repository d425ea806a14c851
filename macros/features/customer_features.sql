{# The CTEs that compute every customer feature at each as-of date: one
   code path for int_customers__features (the current as-of date alone) and
   int_customer_history__features (every as-of date of the history), so the
   two cannot drift apart. The caller's import CTEs: `invoices`
   (int_invoice_outcomes__audited), `as_of_dates` (as_of_date and
   previous_as_of_date, null for the first) and, with var
   count_distinct_products, `lines` (int_lines__checked). The last CTE is
   `features`: one row per customer and as-of date at which the customer
   has a kept order, from the orders strictly before that date.
   An invoice, dated by its last line, falls in one period (from the
   previous as-of date to the next); the features at a date are running
   totals over the periods up to it. So each invoice is read once however
   many dates the history has, instead of once per later date. With
   single_date (the caller's as_of_dates has one row, and it is the current
   as-of date) the one period's totals are taken as they are, without the
   window functions that only a history needs. #}
{% macro customer_features(single_date=false) -%}
{%- set net_of_returns = var('monetary_basis') == 'net' -%}

dated_invoices as (

    -- an invoice is dated by its last line, all of its rows alike (at a
    -- single date every kept or returned line is before it: the audit
    -- excludes the later ones, so no invoice can straddle it)
    select
        *,
        {%- if single_date %}
        cast(last_invoiced_at as date) as invoice_date
        {%- else %}
        max(cast(last_invoiced_at as date)) over (
            partition by customer_id, invoice_id
        ) as invoice_date
        {%- endif %}
    from invoices
    where outcome = 'kept' or returned_line_count > 0

),

invoice_periods as (

    -- each invoice in the one period it falls in: on or after the previous
    -- as-of date (any date for the first) and before the as-of date; the
    -- features at a date then add up the periods up to it
    select
        dated_invoices.*,
        as_of_dates.as_of_date
    from dated_invoices
    inner join as_of_dates
        on
            dated_invoices.invoice_date < as_of_dates.as_of_date
            and (
                as_of_dates.previous_as_of_date is null
                or dated_invoices.invoice_date >= as_of_dates.previous_as_of_date
            )

),

kept_invoices as (

    select * from invoice_periods
    where outcome = 'kept'

),

period_purchases as (

    select
        customer_id,
        as_of_date,
        min(first_invoiced_at) as first_invoiced_at,
        max(last_invoiced_at) as last_invoiced_at,
        count(distinct invoice_id) as orders,
        sum(line_value) as line_value,
        sum(units) as units
    from kept_invoices
    group by 1, 2

),

period_returns as (

    select
        customer_id,
        as_of_date,
        count(distinct invoice_id) as returned_orders,
        sum(returned_value) as returned_value
    from invoice_periods
    where returned_line_count > 0
    group by 1, 2

),

period_countries as (

    select
        customer_id,
        country,
        as_of_date,
        sum(line_count) as line_count
    from kept_invoices
    group by 1, 2, 3

),

customer_starts as (

    select
        customer_id,
        min(as_of_date) as first_as_of_date
    from (
        select
            customer_id,
            as_of_date
        from period_purchases
        union all
        select
            customer_id,
            as_of_date
        from period_returns
    ) as periods
    group by 1

),

customer_dates as (

    -- every as-of date from the customer's first order or return on
    select
        customer_starts.customer_id,
        as_of_dates.as_of_date
    from customer_starts
    inner join as_of_dates
        on customer_starts.first_as_of_date <= as_of_dates.as_of_date

),

running_totals as (

    {%- if single_date %}

    -- one date, one period: its totals are the running totals
    select
        customer_dates.customer_id,
        customer_dates.as_of_date,
        period_purchases.first_invoiced_at,
        period_purchases.last_invoiced_at,
        coalesce(period_purchases.orders, 0) as frequency,
        period_purchases.line_value,
        period_purchases.units,
        coalesce(period_returns.returned_orders, 0) as returned_orders,
        period_returns.returned_value
    {%- else %}

    select
        customer_dates.customer_id,
        customer_dates.as_of_date,
        min(period_purchases.first_invoiced_at) over up_to_date as first_invoiced_at,
        max(period_purchases.last_invoiced_at) over up_to_date as last_invoiced_at,
        -- bigint on every engine (DuckDB sums bigints into a hugeint)
        cast(
            sum(coalesce(period_purchases.orders, 0)) over up_to_date as bigint
        ) as frequency,
        sum(period_purchases.line_value) over up_to_date as line_value,
        sum(period_purchases.units) over up_to_date as units,
        cast(
            sum(coalesce(period_returns.returned_orders, 0)) over up_to_date
            as bigint
        ) as returned_orders,
        sum(period_returns.returned_value) over up_to_date as returned_value
    {%- endif %}
    from customer_dates
    left join period_purchases
        on
            customer_dates.customer_id = period_purchases.customer_id
            and customer_dates.as_of_date = period_purchases.as_of_date
    left join period_returns
        on
            customer_dates.customer_id = period_returns.customer_id
            and customer_dates.as_of_date = period_returns.as_of_date
    {%- if not single_date %}
    window up_to_date as (
        partition by customer_dates.customer_id
        order by customer_dates.as_of_date
        rows between unbounded preceding and current row
    )
    {%- endif %}

),

totals as (

    -- a customer is one from their first kept order on
    select
        customer_id,
        as_of_date,
        cast(first_invoiced_at as date) as first_order_date,
        cast(last_invoiced_at as date) as last_order_date,
        frequency,
        -- money is rounded to cents: sums of floats in parallel differ in the
        -- last bits, and reruns must give identical figures
        {{ round_hundredths('line_value') }} as gross_monetary,
        units,
        returned_orders,
        coalesce({{ round_hundredths('returned_value') }}, 0) as returned_value
    from running_totals
    where frequency > 0

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
    from totals
    where false

),

{%- endif %}

country_spans as (

    select
        customer_id,
        min(country) as first_country,
        max(country) as last_country,
        count(country) as rows_with_country,
        count(*) as period_rows
    from period_countries
    group by 1

),

single_countries as (

    -- most customers buy in one country (or in none that is known): it is
    -- their main country at every date, with no per-date ranking
    select
        customer_id,
        first_country as country
    from country_spans
    where
        first_country is not distinct from last_country
        and (rows_with_country = period_rows or rows_with_country = 0)

),

multi_countries as (

    -- the others: each of their countries from its first period on
    select
        period_countries.customer_id,
        period_countries.country,
        min(period_countries.as_of_date) as first_as_of_date
    from period_countries
    left join single_countries
        on period_countries.customer_id = single_countries.customer_id
    where single_countries.customer_id is null
    group by 1, 2

),

country_dates as (

    select
        multi_countries.customer_id,
        multi_countries.country,
        as_of_dates.as_of_date
    from multi_countries
    inner join as_of_dates
        on multi_countries.first_as_of_date <= as_of_dates.as_of_date

),

country_lines as (

    select
        country_dates.customer_id,
        country_dates.as_of_date,
        country_dates.country,
        sum(coalesce(period_countries.line_count, 0)) over (
            partition by country_dates.customer_id, country_dates.country
            order by country_dates.as_of_date
            rows between unbounded preceding and current row
        ) as line_count
    from country_dates
    left join period_countries
        on
            country_dates.customer_id = period_countries.customer_id
            and country_dates.country is not distinct from period_countries.country
            and country_dates.as_of_date = period_countries.as_of_date

),

main_countries as (

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
        *,
        {%- if net_of_returns %}
        -- floored at 0: a return can refer to a purchase made before the
        -- file starts, and nobody is worth less than nothing
        greatest(
            {{ round_hundredths('gross_monetary - returned_value') }}, 0
        ) as monetary
        {%- else %}
        gross_monetary as monetary
        {%- endif %}
    from totals

),

features as (

    select
        spend.customer_id,
        coalesce(main_countries.country, single_countries.country) as country,
        spend.first_order_date,
        spend.last_order_date,
        spend.as_of_date,
        -- bigint on every engine (Spark's datediff is int)
        cast(
            {{ dbt.datediff('spend.last_order_date', 'spend.as_of_date', 'day') }}
            as bigint
        ) as recency_days,
        spend.frequency,
        spend.monetary,
        {{ money_per("spend.monetary", "spend.frequency") }} as avg_order_value,
        spend.gross_monetary,
        -- bigint on every engine (Spark's datediff is int)
        cast(
            {{ dbt.datediff('spend.first_order_date', 'spend.as_of_date', 'day') }}
            as bigint
        ) as tenure_days,
        spend.units,
        products.distinct_products,
        spend.returned_orders,
        spend.returned_value
    from spend
    left join single_countries
        on spend.customer_id = single_countries.customer_id
    left join main_countries
        on
            spend.customer_id = main_countries.customer_id
            and spend.as_of_date = main_countries.as_of_date
    left join products
        on
            spend.customer_id = products.customer_id
            and spend.as_of_date = products.as_of_date

)
{%- endmacro %}
