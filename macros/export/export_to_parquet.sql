{# Post-hook of every mart (dbt_project.yml). When var export_parquet is true,
   the mart is also written to <var export_path>/<mart>.parquet, so that BI
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
    {%- if not execute or var('export_parquet', false) is not sameas true -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set directory = export_directory() -%}
    {%- do ensure_directory(directory) -%}
    {%- set target = directory ~ '/' ~ this.identifier ~ '.parquet' -%}
    {%- do log("export_parquet: writing " ~ target, info=true) -%}
    copy (select * from {{ this }} order by all)
    to {{ sql_string(target) }} (format parquet, use_tmp_file true)
{% endmacro %}


{# var export_path without a trailing slash; stops the run when it is not a
   usable directory name. #}
{% macro export_directory() -%}
    {%- set path = var('export_path', 'exports') -%}
    {%- if path is not string or path | trim == '' -%}
        {{ exceptions.raise_compiler_error(
            "var export_path must be the directory the Parquet exports are "
            ~ "written to, e.g. exports or /srv/bi/segments, got " ~ tojson(path)) }}
    {%- endif -%}
    {%- set path = path | trim -%}
    {%- if path != '/' -%}
        {%- set path = path.rstrip('/') -%}
    {%- endif -%}
    {{ return(path) }}
{%- endmacro %}


{# Creates a directory and its missing parents. DuckDB SQL has no mkdir: a
   COPY of zero rows partitioned into a directory creates that directory and
   writes nothing (overwrite_or_ignore leaves what is there untouched). #}
{% macro ensure_directory(path) %}
    {%- set parts = path.split('/') -%}
    {%- set ns = namespace(current='/' if path.startswith('/') else '') -%}
    {%- for part in parts if part not in ('', '.') -%}
        {%- set ns.current = ns.current ~ part -%}
        {%- if part != '..' and run_query(
            "select count(*) from glob(" ~ sql_string(ns.current ~ '/*') ~ ")"
        ).columns[0].values()[0] == 0 -%}
            {%- do run_query(
                "copy (select 1 as part, 1 as value where false) to "
                ~ sql_string(ns.current)
                ~ " (format parquet, partition_by (part), overwrite_or_ignore true)") -%}
        {%- endif -%}
        {%- set ns.current = ns.current ~ '/' -%}
    {%- endfor -%}
{% endmacro %}
