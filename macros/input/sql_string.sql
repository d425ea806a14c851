{# Quote a value as a SQL string literal, so that a value such as
   x'); drop table t; --  stays a harmless literal. Every var that ends up
   inside SQL goes through this macro or is validated first. Dispatched: the
   standard doubles single quotes; Spark SQL reads a backslash as an escape
   and '' as two adjacent literals, so there both are escaped with a
   backslash. #}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'customer_segmentation')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    '{{ (value | string) | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    '{{ (value | string) | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
