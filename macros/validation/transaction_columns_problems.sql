{# The problems with var transaction_columns as a list of sentences (empty
   when it is fine): a key that is not a canonical column, or a value that is
   neither a column name nor null. validate_vars() lists them with the other
   vars' problems in on-run-start; resolve_transaction_columns() raises the
   first while dbt parses, which runs no hooks. #}
{% macro transaction_columns_problems(mapping) -%}
    {%- set canonical = canonical_transaction_columns() -%}
    {%- set problems = [] -%}
    {%- for name, column in mapping.items() -%}
        {%- if name not in canonical -%}
            {%- do problems.append("var transaction_columns names an unknown column '"
                ~ name ~ "'. Known canonical columns: " ~ canonical | join(', ')) -%}
        {%- elif column is not none and column is not string -%}
            {%- do problems.append("var transaction_columns must map " ~ name
                ~ " to a column name or null, got " ~ tojson(column)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{%- endmacro %}
