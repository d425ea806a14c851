{# SQL expression: an amount of money divided by a count, to the cent, a
   half cent rounded up. Computed in whole cents, so that every warehouse
   gives the same cent: round(x / n, 2) on a double rounds a half cent
   (268.65 / 2 = 134.325) down on DuckDB, which rounds the binary value,
   and up on Spark, which rounds the decimal one. `amount` is non-negative
   and has at most two decimals; `count` is a positive whole number. #}
{% macro money_per(amount, count) -%}
    floor(
        (2 * round(({{ amount }}) * 100, 0) + ({{ count }}))
        / cast(2 * ({{ count }}) as {{ type_double() }})
    ) / 100
{%- endmacro %}
