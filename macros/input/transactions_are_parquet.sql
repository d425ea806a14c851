{# True when var transactions_path is read as Parquet (it ends in .parquet),
   false when it is read as CSV or gzip CSV, or var transactions_table is
   read instead. The source's external_location
   makes the same choice. #}
{% macro transactions_are_parquet() -%}
    {{ return(not var('transactions_table')
        and (var('transactions_path') | string | lower).endswith('.parquet')) }}
{%- endmacro %}
