{# Post-hook of every mart (dbt_project.yml), beside export_to_parquet: when
   var export_parquet is true and var export_format is csv or both, the mart
   is also written to <var export_path>/<mart>.csv (write_csv: RFC 4180,
   replaced atomically on DuckDB), rows in a fixed order. #}
{% macro export_to_csv() %}
    {%- if not execute or not export_writes('csv') -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set path = export_directory() ~ '/' ~ this.identifier ~ '.csv' -%}
    {%- do log("export_csv: writing " ~ path, info=true) -%}
    {{ return(write_csv('select * from ' ~ this ~ ' order by all', path)) }}
{% endmacro %}
