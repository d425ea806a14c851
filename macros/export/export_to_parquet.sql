{# Post-hook of every mart (dbt_project.yml). When var export_parquet is true
   and var export_format is parquet or both, the mart is also written to
   <var export_path>/<mart>.parquet, so that BI
   tools read the segments without opening the DuckDB file (DuckDB lets one
   process write a database file, and a reader holding it open stops the
   nightly build).

   The file is replaced atomically: DuckDB writes tmp_<mart>.parquet next to
   it and renames it over the old file once complete (use_tmp_file), so a
   reader sees the previous file or the new one, never a half-written one.
   Rows are written in a fixed order, so the same mart gives the same bytes.
   The export directory is created when missing. The path reaches SQL only
   as a quoted string literal. #}
{% macro export_to_parquet() %}
    {%- if not execute or not export_writes('parquet') -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(adapter.dispatch('export_to_parquet', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__export_to_parquet() %}
    {%- set directory = export_directory() -%}
    {%- do ensure_directory(directory) -%}
    {%- set target = directory ~ '/' ~ this.identifier ~ '.parquet' -%}
    {%- do log("export_parquet: writing " ~ target, info=true) -%}
    copy (select * from {{ this }} order by all)
    to {{ sql_string(target) }} (format parquet, use_tmp_file true)
{% endmacro %}

{# Spark writes a table as a directory of part files, so the export is the
   directory <export_path>/<mart>.parquet, which Parquet readers (DuckDB,
   pandas, BI tools) read as one file. It is replaced as a whole by the
   overwrite; a reader that opens it while it is being written may fail and
   must retry, unlike DuckDB's atomic rename. #}
{% macro spark__export_to_parquet() %}
    {%- set target = export_directory() ~ '/' ~ this.identifier ~ '.parquet' -%}
    {%- do log("export_parquet: writing " ~ target, info=true) -%}
    insert overwrite directory {{ sql_string(target) }} using parquet
    select * from {{ this }}
{% endmacro %}
