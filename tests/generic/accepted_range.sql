{#- Fails for every row whose value lies outside [min_value, max_value]
    (or the open interval when inclusive is false). Either bound may be left
    out; nulls are not checked (use not_null for that). -#}
{% test accepted_range(
    model, column_name, min_value=none, max_value=none, inclusive=true
) %}

with

validation as (

    select {{ column_name }} as value_checked
    from {{ model }}
    where {{ column_name }} is not null

),

out_of_range as (

    select * from validation
    where
        1 = 2
        {%- if min_value is not none %}
        or value_checked {{ '<' if inclusive else '<=' }} {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or value_checked {{ '>' if inclusive else '>=' }} {{ max_value }}
        {%- endif %}

)

select * from out_of_range

{% endtest %}
