{# The canonical transaction columns: whether the pipeline needs them, and the
   UCI Online Retail column used when var transaction_columns does not name
   one. Map a column to null to say the file does not have it. #}
{% macro canonical_transaction_columns() -%}
    {{ return({
        'invoice_id': {'required': true, 'default': 'InvoiceNo'},
        'product_id': {'required': false, 'default': 'StockCode'},
        'description': {'required': false, 'default': 'Description'},
        'quantity': {'required': true, 'default': 'Quantity'},
        'invoiced_at': {'required': true, 'default': 'InvoiceDate'},
        'unit_price': {'required': true, 'default': 'UnitPrice'},
        'customer_id': {'required': true, 'default': 'CustomerID'},
        'country': {'required': false, 'default': 'Country'},
    }) }}
{%- endmacro %}
