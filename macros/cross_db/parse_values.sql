{# Parsing of raw values, dispatched so another warehouse can bring its own.
   Each returns null for a value it cannot parse: the line is then audited
   (unparseable_date / unparseable_number) instead of failing the run.
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
                when regexp_full_match({{ text }}, '-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?')
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


{# Customer ids as text: 17850, 17850.0 and ' 17850 ' all become '17850';
   blank becomes null. Surrounding whitespace of any kind (tabs, no-break
   spaces) is removed; spaces inside an id are kept. A typed id that is not
   a finite number (NaN in a Parquet file) becomes null. #}
{% macro normalise_customer_id(column, source_type='VARCHAR') -%}
    {%- if source_type in ('VARCHAR', 'TEXT') -%}
        nullif(regexp_replace({{ strip_text(column) }}, '\.0+$', ''), '')
    {%- elif source_type in ('DOUBLE', 'FLOAT', 'REAL') or source_type.startswith('DECIMAL') -%}
        case
            when not isfinite(cast({{ column }} as double)) then null
            when {{ column }} = floor({{ column }})
                then cast(cast({{ column }} as bigint) as {{ dbt.type_string() }})
            else cast({{ column }} as {{ dbt.type_string() }})
        end
    {%- else -%}
        {{ trimmed_text(column) }}
    {%- endif -%}
{%- endmacro %}


{# Text with surrounding whitespace removed; blank becomes null.
   `few_values`: the column has few distinct values (product, description,
   country), so that a Parquet file stores it as a dictionary. #}
{% macro trimmed_text(column, few_values=false) -%}
    nullif({{ strip_text('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')', few_values) }}, '')
{%- endmacro %}


{# Text without surrounding whitespace. On DuckDB that includes tabs,
   carriage returns, no-break spaces and a stray byte order mark, which
   trim() leaves in place. #}
{% macro strip_text(column, few_values=false) -%}
    {{ return(adapter.dispatch('strip_text', 'customer_segmentation')(column, few_values)) }}
{%- endmacro %}

{% macro default__strip_text(column, few_values) -%}
    trim({{ column }})
{%- endmacro %}

{# Space, tab, line breaks, no-break space and byte order mark. Measured on
   an id column of 100M lines: trim() with a character list 9.5 s, a regexp
   3.2 s, and the regexp only for the values whose first or last character
   is not plain ASCII (control, space or above 159) 2.0 s; the last
   character read as ascii(reverse()) rather than ascii(right(, 1)) saves a
   quarter of that test (0.59 s -> 0.45 s at 30M lines). (A test with
   `in (...)` or a chain of `or` took 4 to 9 s: DuckDB turns an in-list into
   a join.) On a Parquet dictionary column, DuckDB runs trim() once per
   distinct value: almost free. #}
{% macro duckdb__strip_text(column, few_values) -%}
    {%- if few_values and transactions_are_parquet() -%}
        trim({{ column }}, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160) || chr(65279))
    {%- else -%}
        case
            when least(ascii({{ column }}), ascii(reverse({{ column }}))) <= 32
                or greatest(ascii({{ column }}), ascii(reverse({{ column }}))) >= 160
                then regexp_replace({{ column }}, '^[\s\x{0B}\x{A0}\x{FEFF}]+|[\s\x{0B}\x{A0}\x{FEFF}]+$', '', 'g')
            else {{ column }}
        end
    {%- endif -%}
{%- endmacro %}
