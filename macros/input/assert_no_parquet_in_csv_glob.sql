{# Stops the run when var transactions_path is read as CSV (it does not end
   in .parquet) but its glob also matches Parquet files, naming them. #}
{% macro assert_no_parquet_in_csv_glob(files) %}
    {%- if transactions_are_parquet() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set parquet_files = [] -%}
    {%- for file in files if (file | lower).endswith('.parquet') -%}
        {%- do parquet_files.append(file) -%}
    {%- endfor -%}
    {%- if parquet_files -%}
        {{ exceptions.raise_compiler_error(
            "var transactions_path '" ~ var('transactions_path') ~ "' is read as CSV "
            ~ "but matches Parquet file(s): " ~ parquet_files | join(', ')
            ~ ". Use a glob that matches only CSV files, or only .parquet "
            ~ "files (e.g. data/*.parquet).") }}
    {%- endif -%}
{% endmacro %}
