{# True for a double that is neither NaN nor infinite, null for null.
   Dispatched: DuckDB has isfinite(); Spark has isnan() and, unlike the
   standard, takes NaN = NaN as true, so both tests are spelled out. #}
{% macro is_finite(expression) -%}
    {{ return(adapter.dispatch('is_finite', 'customer_segmentation')(expression)) }}
{%- endmacro %}

{% macro default__is_finite(expression) -%}
    ({{ expression }} = {{ expression }} and abs({{ expression }}) < cast('Infinity' as double))
{%- endmacro %}

{% macro duckdb__is_finite(expression) -%}
    isfinite({{ expression }})
{%- endmacro %}

{% macro spark__is_finite(expression) -%}
    (not isnan({{ expression }}) and abs({{ expression }}) != cast('Infinity' as double))
{%- endmacro %}
