{# The transformation each clustering feature goes through before K-Means:
   cap at the customer base's quantiles (winsorising), then a signed log1p
   that keeps the order of values, tames heavy tails and accepts zero and
   negative values. Standardisation (mean 0, sd 1) follows in
   int_customers__standardised. #}
{% macro capped_log(expression, lower_cap, upper_cap) -%}
    {%- set capped = 'least(greatest(' ~ expression ~ ', ' ~ lower_cap ~ '), ' ~ upper_cap ~ ')' -%}
    sign({{ capped }}) * ln(1 + abs({{ capped }}))
{%- endmacro %}


{# Every numeric feature int_customers__features offers to the clustering and
   the profiles (var segment_features picks from these). #}
{% macro customer_feature_names() -%}
    {{ return([
        'recency_days', 'frequency', 'monetary', 'avg_order_value',
        'gross_monetary', 'tenure_days', 'units', 'distinct_products',
        'returned_orders', 'returned_value',
    ]) }}
{%- endmacro %}
