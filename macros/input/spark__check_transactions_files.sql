{# Spark: registers var transactions_path as the table that source
   transactions.raw_lines names (transactions_raw_lines in the target
   schema, over the file: nothing is copied), and makes the same checks as
   the DuckDB variant, with Spark's readers:
   - a path or glob that matches no file, or only empty (0-byte) files:
     one message for both, as Spark's binaryFile reader, which lists them
     (no content is read), skips empty files; a directory that does not
     exist gets Spark's own PATH_NOT_FOUND error, which names it;
   - a CSV glob that also matches Parquet files;
   - a CSV line that does not fit the header (ragged line, unclosed quote):
     the CSV reader's corrupt-record column, so the line is reported, never
     skipped or padded with nulls;
   - text that is not UTF-8: Spark decodes it to U+FFFD, which is looked for
     in every column;
   - no transaction line at all (header only).
   Several CSV files are read as one with the first file's header (DuckDB
   matches their columns by name). Returns the number of lines. #}
{% macro spark__check_transactions_files() %}
    {%- set path = var('transactions_path') | string -%}
    {%- set is_parquet = transactions_are_parquet() -%}
    {%- set table = source('transactions', 'raw_lines') -%}
    {#- The files are listed in their directory, filtered by name: reading the
        path itself would fail with Spark's own error when nothing matches. -#}
    {%- set directory, name = (path.rsplit('/', 1) if '/' in path else ['.', path]) -%}
    {%- do run_query("create or replace temporary view transactions_files using binaryFile"
        ~ " options (path " ~ sql_string(directory or '/') ~ ", pathGlobFilter "
        ~ sql_string(name) ~ ")") -%}
    {%- set files = run_query(
        "select path from transactions_files order by path") -%}
    {%- if files.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Transactions file not found, or empty (0 bytes): '" ~ path
            ~ "' (var transactions_path). Spark's readers skip empty files, so "
            ~ "the two cannot be told apart here. Pass an existing CSV, gzip "
            ~ "CSV or Parquet path or glob, of a file with at least a header.") }}
    {%- endif -%}
    {%- do assert_no_parquet_in_csv_glob(files.columns[0].values()) -%}

    {#- A table's path is resolved against the warehouse directory, not the
        directory dbt runs in: a relative path is made absolute with the
        first file's full path as binaryFile listed it. -#}
    {%- set ns = namespace(path=path) -%}
    {%- if not path.startswith('/') and ':' not in path -%}
        {%- set relative = [] -%}
        {%- for part in path.split('/') if part not in ('', '.', '..') -%}
            {%- do relative.append(part) -%}
        {%- endfor -%}
        {%- set full = files.rows[0][0].split('/') -%}
        {%- set ns.path = (full[:(full | length) - (relative | length)] + relative) | join('/') -%}
    {%- endif -%}

    {%- do drop_transactions_source() -%}
    {%- if is_parquet -%}
        {%- do run_query("create table " ~ table ~ " using parquet options (path "
            ~ sql_string(ns.path) ~ ")") -%}
        {%- set line_count = run_query("select count(*) from " ~ table).columns[0].values()[0] -%}
    {%- else -%}
        {%- set options = "path " ~ sql_string(ns.path)
            ~ ", header 'true', sep ',', quote '\"', escape '\"', encoding 'UTF-8'" -%}
        {%- do run_query("create or replace temporary view transactions_csv_header"
            ~ " using csv options (" ~ options ~ ")") -%}
        {%- set header = run_query("describe transactions_csv_header").columns[0].values() | list -%}
        {%- set columns = [] -%}
        {%- for name in header -%}
            {%- do columns.append("`" ~ (name | replace("`", "``")) ~ "`") -%}
        {%- endfor -%}
        {%- do run_query("create table " ~ table ~ " ("
            ~ columns | join(" string, ") ~ " string, _corrupt_record string)"
            ~ " using csv options (" ~ options ~ ", mode 'PERMISSIVE',"
            ~ " columnNameOfCorruptRecord '_corrupt_record')") -%}
        {#- every column is read (the not-UTF-8 test): the CSV reader parses
            only the columns a query reads, and finds a line that does not
            fit only when it parses them all -#}
        {%- set counted = run_query(
            "select count(*) as lines, count(_corrupt_record) as ragged,"
            ~ " count(case when concat_ws('', " ~ columns | join(', ') ~ ") like '%\\uFFFD%' then 1 end) as not_utf8"
            ~ " from " ~ table) -%}
        {%- set line_count = counted.rows[0][0] -%}
        {%- set problems = [] -%}
        {%- if counted.rows[0][1] > 0 -%}
            {#- every column is read, as above (a query of the corrupt-record
                column alone is refused) -#}
            {%- set examples = run_query("select _metadata.file_path, _corrupt_record, "
                ~ columns | join(', ') ~ " from " ~ table
                ~ " where _corrupt_record is not null limit 5") -%}
            {%- for row in examples.rows -%}
                {%- do problems.append(row[0] ~ ": a line that does not fit the header's "
                    ~ header | length ~ " columns (put a value that contains a comma in double quotes): "
                    ~ (row[1] | string)[:120]) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if counted.rows[0][2] > 0 -%}
            {%- do problems.append(counted.rows[0][2] ~ " line(s) with text that is not UTF-8: save the file"
                ~ " as UTF-8, e.g. iconv -f latin1 -t utf-8 in.csv > out.csv") -%}
        {%- endif -%}
        {%- if problems -%}
            {%- set total = counted.rows[0][1] + counted.rows[0][2] -%}
            {{ exceptions.raise_compiler_error(
                total ~ " line(s) of var transactions_path '" ~ path ~ "' cannot be read as CSV"
                ~ " (comma-separated, double quotes, UTF-8, header first):\n  - "
                ~ problems | join("\n  - ") ~ "\nFix them and run again. Nothing was loaded.") }}
        {%- endif -%}
    {%- endif -%}

    {%- if line_count == 0 -%}
        {{ exceptions.raise_compiler_error(
            "No transaction lines in '" ~ path ~ "': it has a header but no lines, "
            ~ "so there is nothing to segment.") }}
    {%- endif -%}
    {{ return(line_count) }}
{% endmacro %}
