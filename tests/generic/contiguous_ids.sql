{#- Fails unless the column holds the whole numbers start_value,
    start_value + 1, ... without gaps or repeats (segment ids 1..k). An empty
    model passes. -#}
{% test contiguous_ids(model, column_name, start_value=1) %}

with

ids as (

    select {{ column_name }} as id_value from {{ model }}

),

summary as (

    select
        count(*) as id_count,
        count(distinct id_value) as distinct_ids,
        min(id_value) as min_id,
        max(id_value) as max_id
    from ids

),

failures as (

    select * from summary
    where
        id_count > 0
        and (
            distinct_ids != id_count
            or min_id != {{ start_value }}
            or max_id != {{ start_value }} + id_count - 1
        )

)

select * from failures

{% endtest %}
