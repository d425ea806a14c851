{# The CSV dialect every transactions file is read with: the same options as
   the source's external_location, without union_by_name (DuckDB cannot store
   rejected lines with it), so that this check reads each file exactly as
   the build does. #}
{% macro transactions_csv_options() -%}
    all_varchar = true, header = true, delim = ',', quote = '"', escape = '"'
{%- endmacro %}
