{# Check the transactions file against var transaction_columns and return
   canonical name -> {'column': quoted file column, 'type': its type}, or
   none for an absent optional column.

   Stops the run with one message that names the problem when the map names
   a canonical column we do not know, or when a required column is not in the
   file. Column names reach SQL only quoted as identifiers. It reads the
   file's header only when the command reads the file (transactions_are_read:
   dbt run, build, show), after check_transactions_input() has checked the
   file in on-run-start; otherwise (parse, compile, docs generate, sqlfluff)
   it returns the configured names as text columns and reads nothing. #}
{% macro resolve_transaction_columns() -%}
    {%- set canonical = canonical_transaction_columns() -%}
    {%- set mapping = var('transaction_columns') -%}
    {%- set path = (var('transactions_table') or var('transactions_path')) | string -%}

    {%- if mapping is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var transaction_columns must map canonical names to your file's "
            ~ "column names, e.g. {invoice_id: OrderID}; got: " ~ mapping) }}
    {%- endif -%}
    {%- set problems = transaction_columns_problems(mapping) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(problems[0]) }}
    {%- endif -%}

    {%- set resolved = {} -%}
    {%- if not transactions_are_read() -%}
        {%- for name in canonical -%}
            {%- set wanted = mapping.get(name, canonical[name].default) -%}
            {%- set column = (wanted or name) | string | replace('"', '""') -%}
            {%- do resolved.update({name: {'column': adapter.quote(column), 'type': 'VARCHAR'}}) -%}
        {%- endfor -%}
        {{ return(resolved) }}
    {%- endif -%}

    {#- dbt run and build have checked the file in on-run-start
        (check_transactions_input); dbt show runs no hooks -#}
    {%- if flags.WHICH == 'show' -%}
        {%- do check_transactions_files() -%}
    {%- endif -%}

    {%- set described = run_query(
        "describe select * from " ~ transactions_source() ~ " limit 0") -%}
    {%- set file_columns = [] -%}
    {%- set by_lower = {} -%}
    {#- the reader's own columns (DuckDB's filename, Spark's corrupt-record
        column) are not the file's; Spark's text type is called string -#}
    {%- for row in described.rows if row[0] not in ('filename', '_corrupt_record') -%}
        {%- do file_columns.append(row[0]) -%}
        {%- set type = row[1] | upper -%}
        {%- do by_lower.update({row[0] | lower: {
            'column': adapter.quote(row[0] | replace('"', '""')),
            'type': 'VARCHAR' if type == 'STRING' else type}}) -%}
    {%- endfor -%}

    {%- for name, spec in canonical.items() -%}
        {%- set wanted = mapping.get(name, spec.default) -%}
        {%- if wanted and (wanted | string | lower) in by_lower -%}
            {%- do resolved.update({name: by_lower[wanted | string | lower]}) -%}
        {%- elif spec.required -%}
            {{ exceptions.raise_compiler_error(
                "Required column '" ~ (wanted or name) ~ "' (" ~ name ~ ") is not in "
                ~ path ~ ". The file has: " ~ (file_columns | join(', '))
                ~ ". Map it with --vars '{transaction_columns: {" ~ name
                ~ ": <your column>}}'.") }}
        {%- else -%}
            {%- do log("transactions: optional column " ~ name ~ " ('" ~ wanted
                ~ "') is not in the file; it will be null", info=true) -%}
            {%- do resolved.update({name: none}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(resolved) }}
{%- endmacro %}
