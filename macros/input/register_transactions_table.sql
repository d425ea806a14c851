{# Makes source transactions.raw_lines read a loaded table (var
   transactions_table). Dispatched: on DuckDB the source's
   external_location names the table, so there is nothing to do; on Spark
   the source's table (transactions_raw_lines) becomes a view of it. #}
{% macro register_transactions_table(relation) %}
    {{ return(adapter.dispatch('register_transactions_table', 'customer_segmentation')(relation)) }}
{% endmacro %}

{% macro default__register_transactions_table(relation) %}
{% endmacro %}

{% macro spark__register_transactions_table(relation) %}
    {%- set source_table = drop_transactions_source() -%}
    {%- do run_query("create view " ~ source_table
        ~ " as select * from " ~ relation) -%}
{% endmacro %}
