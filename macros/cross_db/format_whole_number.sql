{# A number as text with thousands separators and no decimals (3,400), for
   the plain-words segment descriptions. Dispatched: DuckDB has format(). #}
{% macro format_whole_number(expression) -%}
    {{ return(adapter.dispatch('format_whole_number', 'customer_segmentation')(expression)) }}
{%- endmacro %}

{% macro default__format_whole_number(expression) -%}
    cast(cast(round({{ expression }}, 0) as bigint) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__format_whole_number(expression) -%}
    format('{:,}', cast(round({{ expression }}, 0) as bigint))
{%- endmacro %}

{% macro spark__format_whole_number(expression) -%}
    format_number(cast(round({{ expression }}, 0) as bigint), 0)
{%- endmacro %}
