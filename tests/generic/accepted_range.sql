{#- Fails for every row whose value lies outside [min_value, max_value]
    (or the open interval when inclusive is false). Either bound may be left
    out; nulls are not checked (use not_null for that). -#}
{% test accepted_range(
    model, column_name, min_value=none, max_value=none, inclusive=true
) %}

{#- one condition per bound given (no `1 = 2 or ...` seed, a constant
    expression sqlfluff flags in the compiled test) -#}
{%- set outside = [] -%}
{%- if min_value is not none -%}
    {%- do outside.append(
        'value_checked ' ~ ('<' if inclusive else '<=') ~ ' ' ~ min_value) -%}
{%- endif -%}
{%- if max_value is not none -%}
    {%- do outside.append(
        'value_checked ' ~ ('>' if inclusive else '>=') ~ ' ' ~ max_value) -%}
{%- endif -%}

with

validation as (

    select {{ column_name }} as value_checked
    from {{ model }}
    where {{ column_name }} is not null

),

out_of_range as (

    select * from validation
    where {{ outside | join(' or ') if outside else 'false' }}

)

select * from out_of_range

{% endtest %}
