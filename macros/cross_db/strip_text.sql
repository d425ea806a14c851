{# Text without surrounding whitespace. On DuckDB that includes tabs,
   carriage returns, no-break spaces and a stray byte order mark, which
   trim() leaves in place. #}
{% macro strip_text(column, few_values=false) -%}
    {{ return(adapter.dispatch('strip_text', 'customer_segmentation')(column, few_values)) }}
{%- endmacro %}

{% macro default__strip_text(column, few_values) -%}
    trim({{ column }})
{%- endmacro %}

{# Space, tab, line breaks, no-break space and byte order mark. trim() with
   a character list is slow on every value, so the regexp runs only for the
   values whose first or last character is not plain ASCII (control, space
   or above 159); the last character is read with ascii(reverse()), cheaper
   than ascii(right(, 1)). An `in (...)` list or a chain of `or` there was
   slower still: DuckDB turns an in-list into a join. On a Parquet
   dictionary column, DuckDB runs trim() once per distinct value: almost
   free. The measurements are in docs/decisions.md. #}
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

{# Spark's trim() takes the characters to remove; Spark string literals read
   \uXXXX escapes, so no character needs to be typed as itself. #}
{% macro spark__strip_text(column, few_values) -%}
    trim(both '\u0020\u0009\u000A\u000B\u000C\u000D\u00A0\uFEFF' from {{ column }})
{%- endmacro %}
