{# SQL `case` giving the first outcome, in the order of exclusion_outcomes(),
   whose condition holds, or null: the one place the rule macros turn their
   conditions into SQL, so that the order cannot differ between them. #}
{% macro first_outcome(conditions) -%}
    case
        {%- for outcome in exclusion_outcomes() if outcome in conditions %}
        when {{ conditions[outcome] }} then '{{ outcome }}'
        {%- endfor %}
    end
{%- endmacro %}
