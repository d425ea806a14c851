{# The file's column that var transaction_columns maps a canonical column to
   (for messages). #}
{% macro transaction_column_name(name) -%}
    {%- set mapping = var('transaction_columns') -%}
    {%- set defaults = canonical_transaction_columns() -%}
    {%- set column = mapping.get(name, defaults[name].default) if mapping is mapping else name -%}
    {{ return((column or name) | string) }}
{%- endmacro %}
