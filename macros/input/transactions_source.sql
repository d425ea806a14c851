{#- The path DuckDB reads var transactions_path from: a relative path made
    absolute from the project directory. The staging view stores the path
    as text, and DuckDB reads a relative one from the reader's directory:
    a BI tool opening the database from anywhere else found no file. -#}
{% macro transactions_file_path() -%}
    {%- set path = var('transactions_path') | string -%}
    {%- set project_dir = invocation_args_dict.get('project_dir') or '' -%}
    {%- if path.startswith('/') or '://' in path or not project_dir.startswith('/') -%}
        {{ return(path) }}
    {%- endif -%}
    {{ return(project_dir.rstrip('/') ~ '/' ~ path) }}
{%- endmacro %}

{#- The raw lines' relation, source transactions.raw_lines, with the file
    path of transactions_file_path on DuckDB (the source's yml can only
    render vars, so the path is swapped in here). -#}
{% macro transactions_source() -%}
    {{ return(adapter.dispatch('transactions_source', 'customer_segmentation')()) }}
{%- endmacro %}

{% macro default__transactions_source() -%}
    {{ return(source('transactions', 'raw_lines')) }}
{%- endmacro %}

{% macro duckdb__transactions_source() -%}
    {%- set relation = source('transactions', 'raw_lines') -%}
    {%- set path = var('transactions_path') | string -%}
    {%- if var('transactions_table') or transactions_file_path() == path -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set written = "'" ~ (path | replace("'", "''")) ~ "'" -%}
    {{ return((relation | string) | replace(written, sql_string(transactions_file_path()), 1)) }}
{%- endmacro %}
