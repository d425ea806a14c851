{# SQL expression: a number rounded to two decimals (money to the cent),
   the same on every warehouse. round(x, 2) on a double does not agree across engines
   when x is a hair from a half cent (0.285 is stored as 0.28499999...):
   DuckDB rounds x * 100, Spark rounds the shortest decimal that prints x.
   Both round x * 100 to a whole number alike, so that is what this does. #}
{% macro round_hundredths(expression) -%}
    round(({{ expression }}) * 100, 0) / 100
{%- endmacro %}
