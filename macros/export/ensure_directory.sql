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
