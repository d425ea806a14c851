{# Drops what source transactions.raw_lines names, table or view, before it
   is registered again: a file is registered as a table, a loaded table
   (var transactions_table) as a view, and Spark refuses DROP TABLE on a
   view and CREATE VIEW over a table. #}
{% macro drop_transactions_source() %}
    {%- set source_table = source('transactions', 'raw_lines') -%}
    {%- do run_query("create schema if not exists " ~ source_table.schema) -%}
    {%- set existing = adapter.get_relation(
        database=source_table.database, schema=source_table.schema,
        identifier=source_table.identifier) -%}
    {%- if existing is not none -%}
        {%- do adapter.drop_relation(existing) -%}
    {%- endif -%}
    {{ return(source_table) }}
{% endmacro %}
