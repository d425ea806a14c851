{# Checks the file(s) named by var transactions_path before anything reads
   them, and stops the run with one message that names the file, the line
   and the problem when:
   - no file matches the path or glob;
   - a CSV glob also matches Parquet files;
   - a file is empty (0 bytes: not even a header);
   - a CSV line cannot be split into the header's columns (ragged line,
     unclosed quote) or is not UTF-8 text. DuckDB would skip such lines with
     ignore_errors; here they are found with store_rejects and reported,
     so no line is ever dropped silently;
   - the files hold no transaction line at all (header only).
   Returns the number of lines. Runs queries: call it only when execute.
   Dispatched: DuckDB reads the files in place; Spark first registers them
   as a table (spark__check_transactions_files). #}
{% macro check_transactions_files() %}
    {{ return(adapter.dispatch('check_transactions_files', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__check_transactions_files() %}
    {{ exceptions.raise_compiler_error(
        "The transactions file (var transactions_path) is read on DuckDB and Spark; "
        ~ "on " ~ target.type ~ " load it into a table and add a "
        ~ target.type ~ "__check_transactions_files macro that registers it as "
        ~ "source transactions.raw_lines.") }}
{% endmacro %}

{% macro duckdb__check_transactions_files() %}
    {%- set path = var('transactions_path') | string -%}
    {%- set is_parquet = transactions_are_parquet() -%}

    {%- set files = run_query(
        "select file from glob(" ~ sql_string(transactions_file_path())
        ~ ") order by file"
    ).columns[0].values() | list -%}
    {%- if files | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Transactions file not found: '" ~ path ~ "' (var transactions_path, "
            ~ "relative to the project directory). "
            ~ "Pass an existing CSV, gzip CSV or Parquet path or glob.") }}
    {%- endif -%}

    {%- do assert_no_parquet_in_csv_glob(files) -%}

    {%- set sizes = run_query(
        "select filename, size from read_blob([" ~ sql_string_list(files) ~ "])"
        ~ " where size = 0 order by filename") -%}
    {%- if sizes.rows | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Transactions file " ~ sizes.columns[0].values() | join(', ')
            ~ " is empty (0 bytes): not even a header line. Export it again, "
            ~ "or remove it from var transactions_path '" ~ path ~ "'.") }}
    {%- endif -%}

    {%- if is_parquet -%}
        {%- set line_count = run_query(
            "select coalesce(sum(num_rows), 0) from parquet_file_metadata(["
            ~ sql_string_list(files) ~ "])").columns[0].values()[0] -%}
    {%- else -%}
        {%- set line_count = check_csv_lines(files) -%}
    {%- endif -%}

    {%- if line_count == 0 -%}
        {{ exceptions.raise_compiler_error(
            "No transaction lines in '" ~ path ~ "': "
            ~ (files | join(', ')) ~ (" has" if files | length == 1 else " have")
            ~ " a header but no lines, so there is nothing to segment.") }}
    {%- endif -%}
    {{ return(line_count) }}
{% endmacro %}
