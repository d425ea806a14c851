{# The SQL that writes a query's rows as a CSV file the way CRM and ads tools
   import it: UTF-8, a header line, comma-separated, RFC 4180 quoting (a
   field with a comma, quote or line break is quoted, a quote inside doubled),
   ISO dates, no index column. `query` must order its rows when the file's
   bytes should not change between runs. The path reaches SQL only as a
   quoted string literal. #}
{% macro write_csv(query, path) %}
    {{ return(adapter.dispatch('write_csv', 'customer_segmentation')(query, path)) }}
{% endmacro %}

{# DuckDB writes tmp_<name> next to the target and renames it over the old
   file once complete (use_tmp_file), so a reader sees the previous file or
   the new one, never half of one; CRLF line ends as RFC 4180 writes them.
   The file's folder is created when missing. #}
{% macro default__write_csv(query, path) %}
    {%- if '/' in path.strip('/') -%}
        {%- do ensure_directory(path.rsplit('/', 1)[0]) -%}
    {%- endif %}
    copy ({{ query }})
    to {{ sql_string(path) }} (
        format csv,
        header true,
        delimiter ',',
        quote '"',
        escape '"',
        new_line '\r\n',
        dateformat '%Y-%m-%d',
        timestampformat '%Y-%m-%d %H:%M:%S',
        use_tmp_file true
    )
{% endmacro %}

{# Spark writes the directory <path> of part files (CSV readers that take
   a folder read it as one table; a plain CSV importer takes its part file).
   Its CSV writer escapes a quote with a backslash and trims spaces unless
   told otherwise, and takes a one-character line separator (LF). Not
   atomic: a reader that opens it mid-write may fail and must retry. #}
{% macro spark__write_csv(query, path) %}
    insert overwrite directory {{ sql_string(path) }} using csv
    options (
        'header' = 'true',
        'sep' = ',',
        'quote' = '"',
        'escape' = '"',
        'escapeQuotes' = 'true',
        'ignoreLeadingWhiteSpace' = 'false',
        'ignoreTrailingWhiteSpace' = 'false',
        'encoding' = 'UTF-8',
        'dateFormat' = 'yyyy-MM-dd',
        'timestampFormat' = 'yyyy-MM-dd HH:mm:ss'
    )
    {{ query }}
{% endmacro %}
