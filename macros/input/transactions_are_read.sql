{# True when this dbt command reads the transactions file(s): dbt run, build
   (or a retry of them) or show, with a selected model that reads the source
   transactions.raw_lines. False for parse, compile, docs generate, test,
   seed and for sqlfluff's dbt templater (which compiles), so that these
   never open the file. #}
{% macro transactions_are_read() %}
    {%- if not execute or flags.WHICH not in ('run', 'build', 'show') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set source_id = 'source.' ~ project_name ~ '.transactions.raw_lines' -%}
    {%- for unique_id in selected_resources
        if source_id in graph.nodes.get(unique_id, {}).get('depends_on', {}).get('nodes', []) -%}
        {{ return(true) }}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
