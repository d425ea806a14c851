{# Post-hook of int_segments__scoring_model. When var export_parquet is true,
   the model document is also written to <var export_path>/segment_model.json,
   for scoring customers without the warehouse (segmentation/score.py).

   Replaced atomically as the Parquet exports are: DuckDB writes a temporary
   file next to it and renames it over the old one (use_tmp_file), so a
   scorer reloading the model reads the previous document or the new one.
   The text is written as it is: a one-column CSV without header, quoting or
   escaping writes the value verbatim, commas and newlines included. #}
{% macro export_segment_model() %}
    {%- if not execute or var('export_parquet') is not sameas true -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(adapter.dispatch('export_segment_model', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__export_segment_model() %}
    {%- set directory = export_directory() -%}
    {%- do ensure_directory(directory) -%}
    {%- set target = directory ~ '/segment_model.json' -%}
    {%- do log("export_parquet: writing " ~ target, info=true) -%}
    copy (select model_json from {{ this }})
    to {{ sql_string(target) }} (
        format csv, header false, quote '', escape '', use_tmp_file true
    )
{% endmacro %}

{# Spark writes text as a directory of part files: the export is the
   directory <export_path>/segment_model.json with one part file, which
   segmentation.score.load_model reads as the document. #}
{% macro spark__export_segment_model() %}
    {%- set target = export_directory() ~ '/segment_model.json' -%}
    {%- do log("export_parquet: writing " ~ target, info=true) -%}
    insert overwrite directory {{ sql_string(target) }} using text
    select model_json from {{ this }}
{% endmacro %}
