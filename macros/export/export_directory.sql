{# var export_path without a trailing slash (validate_vars() has checked it
   is a non-empty path). #}
{% macro export_directory() -%}
    {%- set path = var('export_path') | trim -%}
    {%- if path != '/' -%}
        {%- set path = path.rstrip('/') -%}
    {%- endif -%}
    {{ return(path) }}
{%- endmacro %}
