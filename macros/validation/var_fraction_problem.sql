{# The problem with a var that must be a number from low to high, or ''. #}
{% macro var_fraction_problem(name, low, high) -%}
    {%- set value = var(name) -%}
    {%- if value is not number or value is sameas true or value is sameas false
        or value < low or value > high -%}
        {{ return("var " ~ name ~ " must be a number from " ~ low ~ " to " ~ high
            ~ ", got " ~ tojson(value)) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
