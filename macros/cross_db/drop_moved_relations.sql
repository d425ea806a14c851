{#- on-run-end on DuckDB: drops what an earlier version of this project
    left in the target's schema under the name of a model or seed that now
    lives elsewhere (generate_schema_name: `internal`), so that a database
    built before the move shows the marts alone and no stale copy of an
    intermediate table. Only our own nodes' names are looked at. -#}
{% macro drop_moved_relations() %}
    {%- if not execute or target.type != 'duckdb'
        or flags.WHICH not in ('run', 'build', 'seed') -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type in ('model', 'seed')
        and node.package_name == project_name
        and node.schema != target.schema -%}
        {%- set stale = adapter.get_relation(
            database=node.database, schema=target.schema,
            identifier=node.alias or node.name) -%}
        {%- if stale is not none -%}
            {{ log("Dropping " ~ stale ~ ": " ~ node.name ~ " now lives in "
                ~ node.schema, info=true) }}
            {%- do adapter.drop_relation(stale) -%}
        {%- endif -%}
    {%- endfor -%}
    select 1
{% endmacro %}
