{# Makes source transactions.raw_lines read a loaded table (var
   transactions_table). Dispatched: on DuckDB the source's
   external_location names the table, so there is nothing to do; on Spark
   the source is transactions_table(), made a view of the table. #}
{% macro register_transactions_table(relation) %}
    {{ return(adapter.dispatch('register_transactions_table', 'customer_segmentation')(relation)) }}
{% endmacro %}

{% macro default__register_transactions_table(relation) %}
{% endmacro %}

{% macro spark__register_transactions_table(relation) %}
    {%- do run_query("create schema if not exists " ~ target.schema) -%}
    {%- do run_query("drop table if exists " ~ transactions_table()) -%}
    {%- do run_query("create or replace view " ~ transactions_table()
        ~ " as select * from " ~ relation) -%}
{% endmacro %}
