{# A comma-separated list of quoted literals, for `in (...)`. #}
{% macro sql_string_list(values) -%}
    {%- for value in values -%}
        {{ sql_string(value) }}{{ ", " if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
