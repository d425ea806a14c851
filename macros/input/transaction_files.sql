{# True when var transactions_path is read as Parquet (it ends in .parquet),
   false when it is read as CSV or gzip CSV. The source's external_location
   makes the same choice. #}
{% macro transactions_are_parquet() -%}
    {{ return((var('transactions_path') | string | lower).endswith('.parquet')) }}
{%- endmacro %}


{# The CSV dialect every transactions file is read with: the same options as
   the source's external_location, without union_by_name (DuckDB cannot store
   rejected lines with it), so that this check reads each file exactly as
   the build does. #}
{% macro transactions_csv_options() -%}
    all_varchar = true, header = true, delim = ',', quote = '"', escape = '"'
{%- endmacro %}


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
   Returns the number of lines. Runs queries: call it only when execute. #}
{% macro check_transactions_files() %}
    {%- set path = var('transactions_path') | string -%}
    {%- set is_parquet = transactions_are_parquet() -%}

    {%- set files = run_query(
        "select file from glob(" ~ sql_string(path) ~ ") order by file"
    ).columns[0].values() | list -%}
    {%- if files | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Transactions file not found: '" ~ path ~ "' (var transactions_path, "
            ~ "relative to the project directory). "
            ~ "Pass an existing CSV, gzip CSV or Parquet path or glob.") }}
    {%- endif -%}

    {%- if not is_parquet -%}
        {%- set parquet_files = [] -%}
        {%- for file in files if (file | lower).endswith('.parquet') -%}
            {%- do parquet_files.append(file) -%}
        {%- endfor -%}
        {%- if parquet_files -%}
            {{ exceptions.raise_compiler_error(
                "var transactions_path '" ~ path ~ "' is read as CSV but matches "
                ~ "Parquet file(s): " ~ parquet_files | join(', ')
                ~ ". Use a glob that matches only CSV files, or only .parquet "
                ~ "files (e.g. data/*.parquet).") }}
        {%- endif -%}
    {%- endif -%}

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


{# Reads every CSV file once with DuckDB's store_rejects, and stops the run
   listing the lines that could not be read (at most 5, with the total).
   Returns the number of lines read. #}
{% macro check_csv_lines(files) %}
    {%- set rejects = 'transactions_rejected_lines' -%}
    {%- set scans = 'transactions_rejected_scans' -%}
    {%- do run_query("drop table if exists " ~ rejects) -%}
    {%- do run_query("drop table if exists " ~ scans) -%}
    {%- set ns = namespace(lines=0) -%}
    {%- for file in files -%}
        {#- every column is read (concat_ws), or DuckDB would not decode the
            values and so not find text that is not UTF-8 -#}
        {%- set counted = run_query(
            "select count(concat_ws(',', *columns(*))) from read_csv("
            ~ sql_string(file) ~ ", " ~ transactions_csv_options()
            ~ ", ignore_errors = true, store_rejects = true"
            ~ ", rejects_table = '" ~ rejects ~ "', rejects_scan = '" ~ scans ~ "')") -%}
        {%- set ns.lines = ns.lines + counted.columns[0].values()[0] -%}
    {%- endfor -%}

    {%- set bad = run_query(
        "select count(*) over () as bad_lines, file_path, line, error_type,"
        ~ " column_name, csv_line, expected, found from ("
        ~ "  select scans.file_path, rejects.line,"
        ~ "    min(cast(rejects.error_type as varchar)) as error_type,"
        ~ "    string_agg(distinct rejects.column_name, ', ') as column_name,"
        ~ "    min(rejects.csv_line) as csv_line,"
        ~ "    max(regexp_extract(rejects.error_message, 'Expected Number of Columns: (\\d+)', 1)) as expected,"
        ~ "    max(regexp_extract(rejects.error_message, 'Found: (\\d+)', 1)) as found"
        ~ "  from " ~ rejects ~ " as rejects"
        ~ "  inner join " ~ scans ~ " as scans"
        ~ "    on rejects.scan_id = scans.scan_id and rejects.file_id = scans.file_id"
        ~ "  group by 1, 2"
        ~ ") order by file_path, line limit 5") -%}
    {%- do run_query("drop table if exists " ~ rejects) -%}
    {%- do run_query("drop table if exists " ~ scans) -%}
    {%- if bad.rows | length == 0 -%}
        {{ return(ns.lines) }}
    {%- endif -%}

    {%- set problems = [] -%}
    {%- set hints = [] -%}
    {%- for row in bad.rows -%}
        {%- set where = row['file_path'] ~ " line " ~ row['line'] -%}
        {%- set kind = row['error_type'] -%}
        {%- if kind in ('MISSING COLUMNS', 'TOO MANY COLUMNS') -%}
            {%- set what = (row['found'] or '?') ~ " values where the header has "
                ~ (row['expected'] or '?') ~ " columns" -%}
            {%- do hints.append("put a value that contains a comma in double quotes") -%}
        {%- elif kind == 'INVALID ENCODING' -%}
            {%- set what = "text that is not UTF-8"
                ~ (" in column " ~ row['column_name'] if row['column_name'] else "") -%}
            {%- do hints.append("save the file as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv") -%}
        {%- elif kind == 'UNQUOTED VALUE' -%}
            {%- set what = "a double quote inside a value that is not quoted"
                ~ (" (column " ~ row['column_name'] ~ ")" if row['column_name'] else "") -%}
            {%- do hints.append('write a double quote inside a value as "" and quote the value') -%}
        {%- elif kind == 'LINE SIZE OVER MAXIMUM' -%}
            {%- set what = "a line longer than the maximum line size, usually a double quote that is never closed" -%}
            {%- do hints.append("close the quote") -%}
        {%- else -%}
            {%- set what = "a line DuckDB cannot read (" ~ kind ~ ")" -%}
        {%- endif -%}
        {%- set text = (row['csv_line'] or '') | string -%}
        {%- set text = text[:120] ~ ('...' if text | length > 120 else '') -%}
        {%- do problems.append(where ~ ": " ~ what ~ ": " ~ text) -%}
    {%- endfor -%}
    {%- set total = bad.rows[0]['bad_lines'] -%}
    {{ exceptions.raise_compiler_error(
        total ~ (" line" if total == 1 else " lines") ~ " of var transactions_path '"
        ~ var('transactions_path') ~ "' cannot be read as CSV (comma-separated, "
        ~ "double quotes, UTF-8, header first):\n  - " ~ problems | join("\n  - ")
        ~ ("\n  - ... and " ~ (total - problems | length) ~ " more" if total > problems | length else "")
        ~ "\nFix " ~ ("this line" if total == 1 else "these lines") ~ " and run again"
        ~ ((": " ~ hints | unique | join('; ')) if hints else "")
        ~ ". Nothing was loaded.") }}
{% endmacro %}
