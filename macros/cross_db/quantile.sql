{# Continuous quantile of an expression, as an aggregate.
   Dispatched: DuckDB has quantile_cont/median, most warehouses take the
   ordered-set form. #}
{% macro quantile(expression, fraction) -%}
    {{ return(adapter.dispatch('quantile', 'customer_segmentation')(expression, fraction)) }}
{%- endmacro %}

{% macro default__quantile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__quantile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}
