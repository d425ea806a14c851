{# The problem with a var that must be a list (or null), or ''. #}
{% macro var_list_problem(name) -%}
    {%- set value = var(name) -%}
    {%- if value is not none and (value is string or value is mapping
        or value is not iterable) -%}
        {{ return("var " ~ name ~ " must be a list, e.g. [a, b], got "
            ~ tojson(value)) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
