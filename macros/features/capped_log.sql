{# The transformation each clustering feature goes through before K-Means:
   cap at the customer base's quantiles (winsorising), then a signed log1p
   that keeps the order of values, tames heavy tails and accepts zero and
   negative values. Standardisation (mean 0, sd 1) follows in
   int_customers__standardised. #}
{% macro capped_log(expression, lower_cap, upper_cap) -%}
    {%- set capped = 'least(greatest(' ~ expression ~ ', ' ~ lower_cap ~ '), ' ~ upper_cap ~ ')' -%}
    sign({{ capped }}) * ln(1 + abs({{ capped }}))
{%- endmacro %}
