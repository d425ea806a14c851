{#- Like relationships, but the value may be found in any of several
    models: `to` is a list of refs, `field` the column they share. Used for
    segment names, which come from whichever naming seed var naming_scheme
    picks. Nulls are not checked. -#}
{% test relationships_to_any(model, column_name, to, field) %}

with

child as (

    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null

),

parents as (

    {%- for parent in to %}
    select {{ field }} as to_field from {{ parent }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

orphans as (

    select child.from_field
    from child
    left join parents
        on child.from_field = parents.to_field
    where parents.to_field is null

)

select * from orphans

{% endtest %}
