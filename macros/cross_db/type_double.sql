{# A 64-bit floating point type. dbt.type_float() is 32-bit REAL on DuckDB,
   too coarse for shares and quantiles that BI shows to six decimals. #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
