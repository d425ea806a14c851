{# An invoice id starting with C (either case) is a cancellation. #}
{% macro is_cancellation_invoice(invoice_id) -%}
    upper({{ invoice_id }}) like 'C%'
{%- endmacro %}
