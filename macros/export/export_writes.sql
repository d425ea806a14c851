{# Whether this run exports the marts in `format` (parquet or csv): var
   export_parquet turns the export on (its name predates the CSV files) and
   var export_format says which files it writes. #}
{% macro export_writes(format) %}
    {{ return(
        var('export_parquet') is sameas true
        and var('export_format') in (format, 'both')
    ) }}
{% endmacro %}
