{# on-run-start, after validate_vars(): checks the transactions file(s)
   before any model runs, when a selected model reads them (dbt run and
   build of stg_transactions__lines). The file checks scan every line, so
   they run here, once per run, and never while dbt parses, compiles or
   generates docs (or sqlfluff lints): those read no data.

   With var transactions_table, the table is checked instead
   (check_transactions_table: it exists and has lines).

   Stops the run with one message that names the problem when the file is
   missing, empty or header-only, when a line does not fit the header or is
   not UTF-8 (check_transactions_files), or when a column that var
   transaction_columns needs is not in the file (resolve_transaction_columns). #}
{% macro check_transactions_input() %}
    {%- if execute and transactions_are_read() -%}
        {%- if var('transactions_table') -%}
            {%- do check_transactions_table() -%}
        {%- else -%}
            {%- do check_transactions_files() -%}
        {%- endif -%}
        {%- do resolve_transaction_columns() -%}
    {%- endif -%}
    select 1
{% endmacro %}
