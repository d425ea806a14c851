{# The table that source transactions.raw_lines names where the warehouse
   does not read files in place (Spark): the transactions file(s) are
   registered under this name, in the target schema, before any model runs
   (check_transactions_files). #}
{% macro transactions_table() -%}
    {{ return(target.schema ~ '.transactions_raw_lines') }}
{%- endmacro %}
