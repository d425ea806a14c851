{# The cleaning rules, in the precedence of seed exclusion_reasons, as SQL
   over the columns of stg_transactions__lines. They are macros because two
   models apply them: int_transactions__checked to every raw line (the
   line-level audit) and int_invoices__audited to every distinct line (the
   counts). Each returns the first reason that applies, or null. #}


{# The reasons that rank before 'duplicate': they hold for every copy of a
   line. #}
{% macro exclusion_reason_before_copies() -%}
    case
        when invoice_id is null then 'missing_invoice_id'
        when invoiced_at is null then 'unparseable_date'
        when quantity is null or unit_price is null then 'unparseable_number'
        when customer_id is null then 'missing_customer'
        when {{ is_cancellation_invoice('invoice_id') }} then 'cancellation'
        when quantity <= 0 then 'non_positive_quantity'
        when unit_price <= 0 then 'non_positive_price'
    end
{%- endmacro %}


{# The reasons that rank after 'duplicate', set by vars as_of_date, countries
   and excluded_stock_codes. A cancellation with one of them does not count
   as a return. #}
{% macro exclusion_reason_after_copies() -%}
    {%- set as_of_date = as_of_date_literal() -%}
    {%- set countries = var('countries') or [] -%}
    {%- set excluded_stock_codes = var('excluded_stock_codes') or [] -%}
    case
        {%- if as_of_date %}
        when cast(invoiced_at as date) >= {{ as_of_date }} then 'future_date'
        {%- else %}
        -- without var as_of_date, features are measured the day after the
        -- last kept line: a line dated after today is a typo or a clock
        -- error, and would push every customer's recency out
        when cast(invoiced_at as date) > current_date then 'future_date'
        {%- endif %}
        {%- if countries | length > 0 %}
        when coalesce(
            lower(country) not in ({{ sql_string_list(countries | map('lower')) }}),
            true
        ) then 'country_filtered'
        {%- endif %}
        {%- if excluded_stock_codes | length > 0 %}
        when upper(product_id) in (
            {{ sql_string_list(excluded_stock_codes | map('upper')) }}
        ) then 'stock_code_excluded'
        {%- endif %}
    end
{%- endmacro %}


{# An invoice id starting with C (either case) is a cancellation. #}
{% macro is_cancellation_invoice(invoice_id) -%}
    upper({{ invoice_id }}) like 'C%'
{%- endmacro %}
