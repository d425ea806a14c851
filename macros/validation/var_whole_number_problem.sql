{# The problem with a var that must be a whole number >= minimum, or ''. #}
{% macro var_whole_number_problem(name, minimum) -%}
    {%- set value = var(name) -%}
    {%- if value is not number or value is sameas true or value is sameas false
        or (value | int) != value or value < minimum -%}
        {{ return("var " ~ name ~ " must be a whole number of at least " ~ minimum
            ~ ", got " ~ tojson(value)) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
