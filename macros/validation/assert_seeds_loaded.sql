{# Stops a run whose models or tests read a seed that is not in the
   database and that this command does not load: on a fresh database,
   dbt run would otherwise end in "Table with name exclusion_reasons does
   not exist" and, for the Python models, a long traceback. dbt seed and
   dbt build load the seeds they select before anything reads them, so a
   seed selected by this command is never reported; nor is a command that
   builds nothing (docs generate, run-operation). #}
{% macro assert_seeds_loaded() %}
    {%- if not execute or flags.WHICH not in ('run', 'test', 'build', 'retry') -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set selected = selected_resources | list -%}
    {%- set needed = [] -%}
    {%- for node in graph.nodes.values() if node.unique_id in selected -%}
        {%- for parent in node.depends_on.nodes
            if parent.startswith('seed.') and parent not in selected -%}
            {%- do needed.append(parent) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for unique_id in needed | unique | sort -%}
        {%- set seed = graph.nodes[unique_id] -%}
        {%- set relation = adapter.get_relation(
            database=seed.database, schema=seed.schema,
            identifier=seed.alias or seed.name) -%}
        {%- if relation is none -%}
            {%- do missing.append(seed.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {%- set where = target.get('path') or (target.database ~ '.' ~ target.schema) -%}
        {{ exceptions.raise_compiler_error(
            "The seeds are not loaded in " ~ where ~ " (" ~ missing | join(", ")
            ~ "): run 'dbt seed' first, or 'dbt build' (which loads them).") }}
    {%- endif -%}
    select 1
{% endmacro %}
