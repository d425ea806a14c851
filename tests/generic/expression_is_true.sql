{#- Model-level identity check: fails for every row where the SQL boolean
    `expression` is false or null. With column_name (column-level use) the
    expression is appended to the column, e.g. expression: '>= 0'. -#}
{% test expression_is_true(model, expression, column_name=none) %}

with

candidates as (

    select * from {{ model }}

),

failures as (

    select * from candidates
    {%- if column_name is none %}
    where not coalesce(({{ expression }}), false)
    {%- else %}
    where not coalesce(({{ column_name }} {{ expression }}), false)
    {%- endif %}

)

select * from failures

{% endtest %}
