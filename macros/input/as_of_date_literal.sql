{# var as_of_date as a SQL date literal, or none when it is not set (the
   features then use the day after the last kept invoice date).
   validate_vars() has already checked that it is a real date. #}
{% macro as_of_date_literal() -%}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or (value | string | trim) in ('', 'none', 'null') -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast(" ~ sql_string(value | string | trim) ~ " as date)") }}
{%- endmacro %}
