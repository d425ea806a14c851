{# A 64-bit hash of some columns, nulls included: it finds the lines that
   may be copies of each other, which are then compared on their values, so
   a collision costs a comparison and never merges two different lines. #}
{% macro line_hash(columns) -%}
    {{ return(adapter.dispatch('line_hash', 'customer_segmentation')(columns)) }}
{%- endmacro %}

{% macro default__line_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}
            {%- do parts.append("'|'") -%}
        {%- endif -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{% macro duckdb__line_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__line_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
