{# The cleaning rules that rank after 'duplicate', set by vars as_of_date,
   countries and excluded_stock_codes, in the order of exclusion_outcomes(),
   as SQL over the columns of stg_transactions__lines; the first reason that
   applies, or null. A cancellation with one of them does not count as a
   return. Applied by int_lines__checked and int_invoice_outcomes__audited,
   like exclusion_reason_before_copies. #}
{% macro exclusion_reason_after_copies() -%}
    {%- set as_of_date = as_of_date_literal() -%}
    {%- set countries = var('countries') or [] -%}
    {%- set excluded_stock_codes = var('excluded_stock_codes') or [] -%}
    {%- set conditions = {} -%}
    {%- if as_of_date -%}
        {%- do conditions.update({'future_date':
            'cast(invoiced_at as date) >= ' ~ as_of_date}) -%}
    {%- else -%}
        {#- without var as_of_date, features are measured the day after the
            last kept line: a line dated after today is a typo or a clock
            error, and would push every customer's recency out -#}
        {%- do conditions.update({'future_date':
            'cast(invoiced_at as date) > current_date'}) -%}
    {%- endif -%}
    {%- if countries | length > 0 -%}
        {%- do conditions.update({'country_filtered':
            'coalesce(lower(country) not in ('
            ~ sql_string_list(countries | map('lower')) ~ '), true)'}) -%}
    {%- endif -%}
    {%- if excluded_stock_codes | length > 0 -%}
        {%- do conditions.update({'stock_code_excluded':
            'upper(product_id) in ('
            ~ sql_string_list(excluded_stock_codes | map('upper')) ~ ')'}) -%}
    {%- endif -%}
    {{- first_outcome(conditions) -}}
{%- endmacro %}
