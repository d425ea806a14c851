{# Whether a number lies within the min, max (inclusive) and below
   (exclusive) of a var_schema() entry. #}
{% macro var_in_bounds(value, spec) -%}
    {{ return(('min' not in spec or value >= spec['min'])
        and ('max' not in spec or value <= spec['max'])
        and ('below' not in spec or value < spec['below'])) }}
{%- endmacro %}
