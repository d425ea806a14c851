{#- Every raw line, with the first exclusion reason that applies to it (null
    when the line is kept). Raw lines have no key; identical lines are told
    apart by copy_number. (A row_number() line id cost a third of this
    model's time at 10M lines.) The order of the checks is the precedence listed
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
        -- copies of the same line, compared on the parsed values, so a line
        -- repeated in two overlapping monthly files is a copy too: the
        -- first copy (in the first file, by name) is 1
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
            order by source_file
        ) as copy_number
    from lines

),

checked as (

    -- each cleaning rule on its own, so that cancellation lines (which feed
    -- the returns) obey the same rules as purchases
    select
        *,
        upper(invoice_id) like 'C%' as is_cancellation,
        copy_number > 1 as is_duplicate,
        {%- if as_of_date %}
        cast(invoiced_at as date) >= {{ as_of_date }} as is_future,
        {%- else %}
        -- without var as_of_date, features are measured the day after
        -- the last kept line: a line dated after today is a typo or a
        -- clock error, and would push every customer's recency out
        cast(invoiced_at as date) > current_date as is_future,
        {%- endif %}
        {%- if countries | length > 0 %}
        coalesce(
            lower(country) not in (
                {{ sql_string_list(countries | map('lower')) }}
            ),
            true
        ) as is_country_filtered,
        {%- else %}
        false as is_country_filtered,
        {%- endif %}
        {%- if excluded_stock_codes | length > 0 %}
        coalesce(
            upper(product_id) in (
                {{ sql_string_list(excluded_stock_codes | map('upper')) }}
            ),
            false
        ) as is_stock_code_excluded
        {%- else %}
        false as is_stock_code_excluded
        {%- endif %}
    from numbered

),

audited as (

    select
        invoice_id,
        product_id,
        customer_id,
        description,
        country,
        source_file,
        copy_number,
        quantity,
        unit_price,
        invoiced_at,
        quantity_raw,
        unit_price_raw,
        invoiced_at_raw,
        is_cancellation,
        case
            when invoice_id is null then 'missing_invoice_id'
            when invoiced_at is null then 'unparseable_date'
            when quantity is null or unit_price is null
                then 'unparseable_number'
            when customer_id is null then 'missing_customer'
            when is_cancellation then 'cancellation'
            when quantity <= 0 then 'non_positive_quantity'
            when unit_price <= 0 then 'non_positive_price'
            when is_duplicate then 'duplicate'
            when is_future then 'future_date'
            when is_country_filtered then 'country_filtered'
            when is_stock_code_excluded then 'stock_code_excluded'
        end as exclusion_reason,
        -- a cancellation of a known customer that passes the rules a
        -- purchase must pass: it counts in returned_orders / returned_value
        coalesce(
            is_cancellation
            and customer_id is not null
            and quantity is not null
            and unit_price is not null
            and not is_duplicate
            and not is_future
            and not is_country_filtered
            and not is_stock_code_excluded,
            false
        ) as is_counted_return
    from checked

)

select * from audited
