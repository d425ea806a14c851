{#- Every raw line, with the first exclusion reason that applies to it (null
    when the line is kept). The order of the checks is the precedence listed
    in seeds/exclusion_reasons.csv. -#}
{{ config(post_hook="{{ assert_lines_usable() }}") }}
{%- set as_of_date = as_of_date_literal() -%}
{%- set countries = var('countries') or [] -%}
{%- set excluded_stock_codes = var('excluded_stock_codes') or [] -%}

with

lines as (

    select * from {{ ref('stg_transactions__lines') }}

),

numbered as (

    select
        *,
        row_number() over () as transaction_line_id,
        -- copies of the same line, compared on the parsed values, so a line
        -- repeated in two overlapping monthly files is a copy too: the
        -- first copy (by file, then as written) is 1
        row_number() over (
            partition by
                invoice_id,
                product_id,
                description,
                quantity,
                unit_price,
                invoiced_at,
                customer_id,
                country
            order by source_file, quantity_raw, unit_price_raw, invoiced_at_raw
        ) as copy_number
    from lines

),

audited as (

    select
        transaction_line_id,
        invoice_id,
        product_id,
        customer_id,
        description,
        country,
        source_file,
        quantity,
        unit_price,
        invoiced_at,
        quantity_raw,
        unit_price_raw,
        invoiced_at_raw,
        upper(invoice_id) like 'C%' as is_cancellation,
        case
            when invoice_id is null then 'missing_invoice_id'
            when invoiced_at is null then 'unparseable_date'
            when quantity is null or unit_price is null
                then 'unparseable_number'
            when customer_id is null then 'missing_customer'
            when upper(invoice_id) like 'C%' then 'cancellation'
            when quantity <= 0 then 'non_positive_quantity'
            when unit_price <= 0 then 'non_positive_price'
            when copy_number > 1 then 'duplicate'
            {%- if as_of_date %}
            when cast(invoiced_at as date) >= {{ as_of_date }}
                then 'future_date'
            {%- else %}
            -- without var as_of_date, features are measured the day after
            -- the last kept line: a line dated after today is a typo or a
            -- clock error, and would push every customer's recency out
            when cast(invoiced_at as date) > current_date
                then 'future_date'
            {%- endif %}
            {%- if countries | length > 0 %}
            when country is null
                or lower(country) not in (
                    {{ sql_string_list(countries | map('lower')) }}
                )
                then 'country_filtered'
            {%- endif %}
            {%- if excluded_stock_codes | length > 0 %}
            when upper(product_id) in (
                {{ sql_string_list(excluded_stock_codes | map('upper')) }}
            )
                then 'stock_code_excluded'
            {%- endif %}
        end as exclusion_reason
    from numbered

)

select * from audited
