{#- One row per rule: what makes a customer part of a segment, in words and
    as a SQL condition (a leaf of the decision tree int_segments__rules fits
    on the fit sample), with the customers it covers among all customers and
    how many of them K-Means put in its segment. -#}

with

rules as (

    select * from {{ ref('int_segments__rules') }}

),

rule_assignment as (

    select * from {{ ref('int_customers__rule_assignment') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

covered as (

    select
        rule_id,
        count(*) as customers,
        cast(
            sum(case when segment_id = rule_segment_id then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as customers_in_segment
    from rule_assignment
    group by rule_id

),

segment_sizes as (

    select
        segment_id,
        count(*) as segment_customers
    from rule_assignment
    group by segment_id

),

segment_rules as (

    select
        rules.rule_id,
        rules.segment_id,
        centroids.segment_name,
        rules.rule_text,
        rules.rule_sql,
        coalesce(covered.customers, 0) as customers,
        coalesce(covered.customers_in_segment, 0) as customers_in_segment,
        -- `precision` is the measure's name; no warehouse we run reserves it
        round(
            covered.customers_in_segment
            / cast(covered.customers as {{ type_double() }}),
            6
        ) as precision,  -- noqa: RF04
        round(
            coalesce(covered.customers_in_segment, 0)
            / cast(segment_sizes.segment_customers as {{ type_double() }}),
            6
        ) as recall
    from rules
    inner join centroids
        on rules.segment_id = centroids.segment_id
    left join covered
        on rules.rule_id = covered.rule_id
    left join segment_sizes
        on rules.segment_id = segment_sizes.segment_id

)

select * from segment_rules
order by rule_id
