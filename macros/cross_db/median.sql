{# The median of an expression, as an aggregate: quantile(expression, 0.5). #}
{% macro median(expression) -%}
    {{ quantile(expression, 0.5) }}
{%- endmacro %}
