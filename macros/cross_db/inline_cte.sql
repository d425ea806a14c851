{# The keyword that keeps a CTE read by several later CTEs from being stored:
   DuckDB stores such a CTE by default, which for every raw line costs more
   than reading the file again. Empty where the warehouse has no such
   choice. #}
{% macro inline_cte() -%}
    {{ return(adapter.dispatch('inline_cte', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__inline_cte() -%}
{%- endmacro %}

{% macro duckdb__inline_cte() -%}
    not materialized
{%- endmacro %}
