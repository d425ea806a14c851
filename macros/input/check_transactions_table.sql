{# With var transactions_table: stops the run when the table does not exist
   or has no line, and registers it where the source looks for it
   (register_transactions_table). validate_vars() has checked that the name
   is a plain (schema.)table name. Returns the number of lines. #}
{% macro check_transactions_table() %}
    {%- set name = var('transactions_table') -%}
    {%- set parts = name.split('.') -%}
    {%- set relation = adapter.get_relation(
        database=parts[-3] if parts | length == 3 else target.database,
        schema=parts[-2] if parts | length >= 2 else target.schema,
        identifier=parts[-1]) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error(
            "Transactions table '" ~ name ~ "' (var transactions_table) does not exist"
            ~ " in the " ~ target.type ~ " target '" ~ target.name ~ "'. Load it first, "
            ~ "or leave transactions_table null to read var transactions_path.") }}
    {%- endif -%}
    {%- set line_count = run_query("select count(*) from " ~ relation).columns[0].values()[0] -%}
    {%- if line_count == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Transactions table '" ~ name ~ "' (var transactions_table) has no lines, "
            ~ "so there is nothing to segment.") }}
    {%- endif -%}
    {%- do register_transactions_table(relation) -%}
    {{ return(line_count) }}
{% endmacro %}
