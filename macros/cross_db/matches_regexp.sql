{# True when the whole text matches a regular expression. Dispatched: DuckDB
   has regexp_full_match(); Spark's rlike finds a match anywhere, so the
   pattern is anchored there. Write patterns without backslashes ([.] for a
   dot): a Spark string literal drops a backslash. #}
{% macro matches_regexp(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_regexp', 'customer_segmentation')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_regexp(expression, pattern) -%}
    regexp_like({{ expression }}, {{ sql_string('^(' ~ pattern ~ ')$') }})
{%- endmacro %}

{% macro duckdb__matches_regexp(expression, pattern) -%}
    regexp_full_match({{ expression }}, {{ sql_string(pattern) }})
{%- endmacro %}

{% macro spark__matches_regexp(expression, pattern) -%}
    ({{ expression }} rlike {{ sql_string('^(' ~ pattern ~ ')$') }})
{%- endmacro %}
