{# The customer features that are amounts of money: the marts round them to
   cents, since sums of floats carry noise in the last bits. #}
{% macro money_feature_names() -%}
    {{ return(['monetary', 'avg_order_value', 'gross_monetary', 'returned_value']) }}
{%- endmacro %}
