{# SQL expression: the file a raw transaction line was read from.
   Dispatched: DuckDB's readers add a filename column (filename = true);
   Spark's file tables have the hidden _metadata column. #}
{% macro source_file_column() -%}
    {{ return(adapter.dispatch('source_file_column', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__source_file_column() -%}
    filename
{%- endmacro %}

{% macro spark__source_file_column() -%}
    _metadata.file_path
{%- endmacro %}
