{# Text with surrounding whitespace removed; blank becomes null.
   `few_values`: the column has few distinct values (product, description,
   country), so that a Parquet file stores it as a dictionary. #}
{% macro trimmed_text(column, few_values=false) -%}
    nullif({{ strip_text('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')', few_values) }}, '')
{%- endmacro %}
