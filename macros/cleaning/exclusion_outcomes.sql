{# The cleaning outcomes in the order the rules check them: a line gets the
   first that applies. This list is authoritative: the rule macros
   (exclusion_reason_before_copies, exclusion_reason_after_copies) follow
   it, and the data test exclusion_reasons_seed_follows_the_rules fails when
   seed exclusion_reasons, which describes each outcome for the audit mart,
   lists other outcomes or another precedence. #}
{% macro exclusion_outcomes() -%}
    {{ return([
        'missing_invoice_id',
        'unparseable_date',
        'unparseable_number',
        'missing_customer',
        'cancellation',
        'non_positive_quantity',
        'non_positive_price',
        'duplicate',
        'future_date',
        'country_filtered',
        'stock_code_excluded',
        'kept',
    ]) }}
{%- endmacro %}
