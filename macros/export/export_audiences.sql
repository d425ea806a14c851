{# Post-hook of customer_segments. When var export_parquet is true (whatever
   var export_format says: ad and CRM tools import CSV), writes one audience
   file per segment, <export_path>/audiences/<file name>.csv (write_csv:
   RFC 4180, each file replaced atomically on DuckDB), with each customer's
   id, segment name, the segment's recommended action, the key features and
   country, rows ordered by customer.

   Every segment of the model gets a file, an empty one a header alone. The
   file name is audience_file_name() of the segment's name; files of
   segments that no longer exist are removed (remove_stale_audiences), so the
   folder holds exactly today's audiences. #}
{% macro export_audiences() %}
    {%- if not execute or var('export_parquet') is not sameas true -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set directory = export_directory() ~ '/audiences' -%}
    {%- set segments = run_query(
        "select segment_id, segment_name from "
        ~ ref('int_segments__centroids') ~ " order by segment_id"
    ) -%}
    {%- set names = audience_file_names(segments.rows) -%}
    {%- do remove_stale_audiences(directory, names.values() | list) -%}
    {%- for row in segments.rows -%}
        {%- set path = directory ~ '/' ~ names[row[0]] ~ '.csv' -%}
        {%- do log("export_audiences: writing " ~ path, info=true) -%}
        {%- set query -%}
            select
                customers.customer_id,
                customers.segment_name as segment,
                centroids.recommended_action,
                customers.recency_days,
                customers.frequency,
                customers.monetary,
                customers.avg_order_value,
                customers.country
            from {{ this }} as customers
            inner join {{ ref('int_segments__centroids') }} as centroids
                on customers.segment_id = centroids.segment_id
            where customers.segment_id = {{ row[0] | int }}
            order by customers.customer_id
        {%- endset -%}
        {%- do run_query(write_csv(query, path)) -%}
    {%- endfor -%}
    {{ return('select 1') }}
{% endmacro %}

{# Segment id -> file name (without .csv) for (segment_id, segment_name)
   rows: the name in lower case, apostrophes dropped, every run of other
   characters than a-z, 0-9, _ and - made one _, ends trimmed (Can't Lose
   Them -> cant_lose_them). A name with nothing left is segment_<id>. Names
   that fold to the same file name (At Risk and AT RISK) each get
   _<segment_id> appended, so no segment overwrites another's file;
   should that still collide, the build stops and says so. #}
{% macro audience_file_names(rows) %}
    {%- set slugs = {} -%}
    {%- for row in rows -%}
        {%- set slug = modules.re.sub(
            '[^a-z0-9_-]+', '_',
            (row[1] | string | lower) | replace("'", '')
        ).strip('_-') -%}
        {%- do slugs.update({row[0]: slug or 'segment_' ~ (row[0] | int)}) -%}
    {%- endfor -%}
    {%- set values = slugs.values() | list -%}
    {%- set names = {} -%}
    {%- for segment_id, slug in slugs.items() -%}
        {%- do names.update({segment_id: slug ~ '_' ~ (segment_id | int)
            if values.count(slug) > 1 else slug}) -%}
    {%- endfor -%}
    {%- if (names.values() | unique | list | length) != (names | length) -%}
        {%- do exceptions.raise_compiler_error(
            "export_audiences: segment names give clashing file names even with"
            ~ " their ids appended: " ~ names.values() | join(', ')) -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}

{# Removes the audience files of segments that no longer exist (a new k, a
   renamed segment) from the audiences folder; `keep` are today's file names
   without .csv. DuckDB SQL cannot delete one file, but a COPY with
   overwrite empties a folder: when a stale file is there the folder is
   emptied before today's files are written (a reader at that moment finds
   fewer files, only on the run that changes the segments). Creates the
   folder when missing. #}
{% macro remove_stale_audiences(directory, keep) %}
    {{ return(adapter.dispatch('remove_stale_audiences', 'customer_segmentation')(directory, keep)) }}
{% endmacro %}

{% macro default__remove_stale_audiences(directory, keep) %}
    {%- do ensure_directory(directory) -%}
    {%- set files = run_query(
        "select file from glob(" ~ sql_string(directory ~ '/*.csv') ~ ")"
    ).columns[0].values() -%}
    {%- set stale = [] -%}
    {%- for file in files -%}
        {%- set name = file.replace('\\', '/').split('/')[-1][:-4] -%}
        {%- if name not in keep and not name.startswith('tmp_') -%}
            {%- do stale.append(name ~ '.csv') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if stale -%}
        {%- do log("export_audiences: removing stale " ~ stale | join(', '), info=true) -%}
        {%- do run_query(
            "copy (select 1 as part, 1 as value where false) to "
            ~ sql_string(directory)
            ~ " (format csv, partition_by (part), overwrite true)") -%}
    {%- endif -%}
{% endmacro %}

{# Spark SQL cannot list or delete files: a stale audience directory stays
   until someone removes it (the run's log names every folder it writes). #}
{% macro spark__remove_stale_audiences(directory, keep) %}
    {%- do log("export_audiences: on Spark, folders of segments that no longer"
        ~ " exist are not removed from " ~ directory, info=true) -%}
{% endmacro %}
