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
