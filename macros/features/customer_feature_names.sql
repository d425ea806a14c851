{# Every numeric feature int_customers__features offers to the clustering and
   the profiles (var segment_features picks from these). #}
{% macro customer_feature_names() -%}
    {{ return([
        'recency_days', 'frequency', 'monetary', 'avg_order_value',
        'gross_monetary', 'tenure_days', 'units', 'distinct_products',
        'returned_orders', 'returned_value',
    ]) }}
{%- endmacro %}
