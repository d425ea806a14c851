{# SQL expression: the file a raw transaction line was read from.
   Dispatched: DuckDB's readers add a filename column (filename = true);
   Spark's file tables have the hidden _metadata column. With var
   transactions_table, the table's name. #}
{% macro source_file_column() -%}
    {%- if var('transactions_table') -%}
        {#- a loaded table has no file: its name stands for one -#}
        {{ return(sql_string(var('transactions_table'))) }}
    {%- endif -%}
    {{ return(adapter.dispatch('source_file_column', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__source_file_column() -%}
    filename
{%- endmacro %}

{% macro spark__source_file_column() -%}
    _metadata.file_path
{%- endmacro %}
