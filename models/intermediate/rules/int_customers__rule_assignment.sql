{#- One row per customer: the rule (int_segments__rules) the customer's
    features meet, found by running the rules' own SQL conditions here, and
    the segment that rule stands for beside the customer's K-Means segment.
    The rules are leaves of one tree, so exactly one matches. -#}
{%- set conditions = segment_rule_conditions(ref('int_segments__rules')) %}

with

features as (

    select * from {{ ref('int_customers__features') }}

),

assignment as (

    select * from {{ ref('int_customers__segment_assignment') }}

),

rules as (

    select * from {{ ref('int_segments__rules') }}

),

matched as (

    select
        customer_id,
        {%- if conditions %}
        case
            {%- for rule_id, rule_sql in conditions %}
            when {{ rule_sql }} then {{ rule_id }}
            {%- endfor %}
        end as rule_id
        {%- else %}
        cast(null as {{ dbt.type_bigint() }}) as rule_id
        {%- endif %}
    from features

),

rule_assignment as (

    select
        matched.customer_id,
        assignment.segment_id,
        matched.rule_id,
        rules.segment_id as rule_segment_id
    from matched
    inner join assignment
        on matched.customer_id = assignment.customer_id
    left join rules
        on matched.rule_id = rules.rule_id

)

select * from rule_assignment
