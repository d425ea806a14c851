{# The cleaning rules that rank before 'duplicate' (they hold for every copy
   of a line), in the precedence of seed exclusion_reasons, as SQL over the
   columns of stg_transactions__lines; the first reason that applies, or
   null. A macro because two models apply it: int_transactions__checked to
   every raw line (the line-level audit) and int_invoices__audited to every
   distinct line (the counts). #}
{% macro exclusion_reason_before_copies() -%}
    case
        when invoice_id is null then 'missing_invoice_id'
        when invoiced_at is null then 'unparseable_date'
        when quantity is null or unit_price is null then 'unparseable_number'
        when customer_id is null then 'missing_customer'
        when {{ is_cancellation_invoice('invoice_id') }} then 'cancellation'
        when quantity <= 0 then 'non_positive_quantity'
        when unit_price <= 0 then 'non_positive_price'
    end
{%- endmacro %}
