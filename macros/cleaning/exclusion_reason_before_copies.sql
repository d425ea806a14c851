{# The cleaning rules that rank before 'duplicate' (they hold for every copy
   of a line), in the order of exclusion_outcomes(), as SQL over the columns
   of stg_transactions__lines; the first reason that applies, or null. A
   macro because two models apply it: int_lines__checked to every raw
   line (the line-level audit) and int_invoice_outcomes__audited to every distinct
   line (the counts). #}
{% macro exclusion_reason_before_copies() -%}
    {%- set conditions = {
        'missing_invoice_id': 'invoice_id is null',
        'unparseable_date': 'invoiced_at is null',
        'unparseable_number': 'quantity is null or unit_price is null',
        'missing_customer': 'customer_id is null',
        'cancellation': is_cancellation_invoice('invoice_id'),
        'non_positive_quantity': 'quantity <= 0',
        'non_positive_price': 'unit_price <= 0',
    } -%}
    {{- first_outcome(conditions) -}}
{%- endmacro %}
