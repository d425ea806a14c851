{# Quote a value as a SQL string literal. Single quotes are doubled, so a
   value such as  x'); drop table t; --  stays a harmless literal. Every var
   that ends up inside SQL goes through this macro or is validated first. #}
{% macro sql_string(value) -%}
    '{{ (value | string) | replace("'", "''") }}'
{%- endmacro %}
