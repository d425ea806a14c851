{# A raw number parsed as a double, dispatched so another warehouse can bring
   its own parsing. Null for a value it cannot parse: the line is then
   audited (unparseable_number) instead of failing the run. `source_type` is
   the column's type in the file (text for CSV). #}
{% macro parse_number(column, source_type='VARCHAR') -%}
    {{ return(adapter.dispatch('parse_number', 'customer_segmentation')(column, source_type)) }}
{%- endmacro %}

{% macro default__parse_number(column, source_type) -%}
    cast({{ column }} as {{ dbt.type_float() }})
{%- endmacro %}

{# Plain numbers, and numbers with thousands separators (1,234.5). NaN and
   infinity count as unparseable. #}
{% macro duckdb__parse_number(column, source_type) -%}
    {%- if source_type in ('VARCHAR', 'TEXT') -%}
        {%- set text = strip_text(column) -%}
        (
            case
                when {{ matches_regexp(text, '-?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?') }}
                    then try_cast(replace({{ text }}, ',', '') as double)
                when isfinite(try_cast({{ text }} as double))
                    then try_cast({{ text }} as double)
            end
        )
    {%- else -%}
        (
            case
                when isfinite(cast({{ column }} as double))
                    then cast({{ column }} as double)
            end
        )
    {%- endif -%}
{%- endmacro %}

{# The same rules as DuckDB's: plain numbers and numbers with thousands
   separators; NaN and infinity unparseable. try_cast keeps Spark's ANSI
   mode from failing the build on one bad value. The pattern has no
   backslash: a Spark string literal would drop it. #}
{% macro spark__parse_number(column, source_type) -%}
    {%- if source_type in ('VARCHAR', 'TEXT', 'STRING') -%}
        {%- set text = strip_text(column) -%}
        (
            case
                when {{ matches_regexp(text, '-?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?') }}
                    then try_cast(replace({{ text }}, ',', '') as double)
                when {{ is_finite('try_cast(' ~ text ~ ' as double)') }}
                    then try_cast({{ text }} as double)
            end
        )
    {%- else -%}
        (
            case
                when {{ is_finite('cast(' ~ column ~ ' as double)') }}
                    then cast({{ column }} as double)
            end
        )
    {%- endif -%}
{%- endmacro %}
