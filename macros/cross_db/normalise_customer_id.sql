{# Customer ids as text: 17850, 17850.0 and ' 17850 ' all become '17850';
   blank becomes null. Surrounding whitespace of any kind (tabs, no-break
   spaces) is removed; spaces inside an id are kept. A typed id that is not
   a finite number (NaN in a Parquet file) becomes null. #}
{% macro normalise_customer_id(column, source_type='VARCHAR') -%}
    {%- if source_type in ('VARCHAR', 'TEXT', 'STRING') -%}
        nullif(regexp_replace({{ strip_text(column) }}, '[.]0+$', ''), '')
    {%- elif source_type in ('DOUBLE', 'FLOAT', 'REAL') or source_type.startswith('DECIMAL') -%}
        case
            when not {{ is_finite('cast(' ~ column ~ ' as double)') }} then null
            when {{ column }} = floor({{ column }})
                then cast(cast({{ column }} as bigint) as {{ dbt.type_string() }})
            else cast({{ column }} as {{ dbt.type_string() }})
        end
    {%- else -%}
        {{ trimmed_text(column) }}
    {%- endif -%}
{%- endmacro %}
