{#- (rule_id, rule_sql) of every rule in `rules` (int_segments__rules),
    read when the calling model runs, after the rules are built. Empty when
    the table is not there yet: dbt compile and docs generate read no data. -#}
{% macro segment_rule_conditions(rules) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = load_relation(rules) -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set table = run_query(
        'select rule_id, rule_sql from ' ~ relation ~ ' order by rule_id'
    ) -%}
    {{ return(table.rows | map('list') | list) }}
{% endmacro %}
