{#- Fails for each combination of `columns` that more than one row has, the
    grain of a model without a single key column. Nulls compare equal here
    (group by), so (null, 'a') twice is a failure too. -#}
{% test unique_combination(model, columns) %}

with

candidates as (

    select * from {{ model }}

),

combinations as (

    select
        {{ columns | join(',\n        ') }},
        count(*) as row_count
    from candidates
    group by {{ columns | join(', ') }}

),

failures as (

    select * from combinations
    where row_count > 1

)

select * from failures

{% endtest %}
