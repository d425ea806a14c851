{# var export_path without a trailing slash; stops the run when it is not a
   usable directory name. #}
{% macro export_directory() -%}
    {%- set path = var('export_path', 'exports') -%}
    {%- if path is not string or path | trim == '' -%}
        {{ exceptions.raise_compiler_error(
            "var export_path must be the directory the Parquet exports are "
            ~ "written to, e.g. exports or /srv/bi/segments, got " ~ tojson(path)) }}
    {%- endif -%}
    {%- set path = path | trim -%}
    {%- if path != '/' -%}
        {%- set path = path.rstrip('/') -%}
    {%- endif -%}
    {{ return(path) }}
{%- endmacro %}
