{#- Where a model or seed lives. On DuckDB, a BI user opening the file sees
    the marts alone in the default schema (the target's, `main`) and the
    staging and intermediate models and the seeds in the schema their
    config names (`internal`), out of the way. Elsewhere everything stays in
    the target's schema, as before: a Spark run's schema is its own, and
    the tests run several Spark builds side by side, one schema each. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ return(adapter.dispatch('schema_for', 'customer_segmentation')(custom_schema_name)) }}
{%- endmacro %}

{% macro default__schema_for(custom_schema_name) -%}
    {{ return(target.schema) }}
{%- endmacro %}

{% macro duckdb__schema_for(custom_schema_name) -%}
    {{ return((custom_schema_name or target.schema) | trim) }}
{%- endmacro %}
