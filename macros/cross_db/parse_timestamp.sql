{# A raw date or timestamp value parsed as a timestamp, dispatched so another
   warehouse can bring its own parsing. Null for a value it cannot parse: the
   line is then audited (unparseable_date) instead of failing the run.
   `source_type` is the column's type in the file (text for CSV). #}
{% macro parse_timestamp(column, source_type='VARCHAR') -%}
    {{ return(adapter.dispatch('parse_timestamp', 'customer_segmentation')(column, source_type)) }}
{%- endmacro %}

{% macro default__parse_timestamp(column, source_type) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{# ISO text, then each strptime format of var date_formats; typed dates and
   timestamps (Parquet) are cast directly. #}
{% macro duckdb__parse_timestamp(column, source_type) -%}
    {%- if source_type.startswith('TIMESTAMP') or source_type == 'DATE' -%}
        cast({{ column }} as timestamp)
    {%- else -%}
        coalesce(
            try_cast({{ strip_text(column) }} as timestamp),
            try_strptime({{ strip_text(column) }}, [{{ sql_string_list(var('date_formats')) }}])
        )
    {%- endif -%}
{%- endmacro %}

{# ISO text (try_cast; only text that starts like a date, as Spark's cast
   also takes a year alone, 2010, for a date, which DuckDB does not), then
   each format of var date_formats, translated
   from strptime to Spark's datetime pattern (%m/%d/%Y %H:%M -> M/d/yyyy
   H:mm: one letter reads one or two digits, as strptime does).
   try_to_timestamp returns null instead of failing under ANSI mode. #}
{% macro spark__parse_timestamp(column, source_type) -%}
    {%- if source_type.startswith('TIMESTAMP') or source_type == 'DATE' -%}
        cast({{ column }} as timestamp)
    {%- else -%}
        {%- set text = strip_text(column) -%}
        {%- set patterns = {'%Y': 'yyyy', '%y': 'yy', '%m': 'M', '%d': 'd',
            '%H': 'H', '%M': 'mm', '%S': 'ss', '%b': 'MMM', '%B': 'MMMM',
            '%p': 'a', '%I': 'h'} -%}
        coalesce(
            case
                when {{ matches_regexp(text, '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T].*)?') }}
                    then try_cast({{ text }} as timestamp)
            end
            {%- for format in var('date_formats') -%}
                {%- set ns = namespace(pattern=format) -%}
                {%- for strptime, java in patterns.items() -%}
                    {%- set ns.pattern = ns.pattern | replace(strptime, java) -%}
                {%- endfor %},
            try_to_timestamp({{ text }}, {{ sql_string(ns.pattern) }})
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}
