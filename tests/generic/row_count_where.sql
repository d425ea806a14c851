{#- Fails unless exactly `expected` rows satisfy the SQL boolean
    `condition`, e.g. exactly one selected k in cluster_diagnostics. -#}
{% test row_count_where(model, condition, expected=1) %}

with

candidates as (

    select * from {{ model }}

),

matching as (

    select count(*) as matching_rows
    from candidates
    where {{ condition }}

),

failures as (

    select
        matching_rows,
        {{ expected }} as expected_rows
    from matching
    where matching_rows != {{ expected }}

)

select * from failures

{% endtest %}
