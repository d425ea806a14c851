{# The bounds of a var_schema() entry in words: "from 0 to 1", "of at least
   2", "of at least 0 and less than 1"; '' when it has none. #}
{% macro var_bounds_text(spec) -%}
    {%- if 'min' in spec and 'max' in spec -%}
        {{ return('from ' ~ spec['min'] ~ ' to ' ~ spec['max']) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- if 'min' in spec -%}
        {%- do parts.append('at least ' ~ spec['min']) -%}
    {%- endif -%}
    {%- if 'max' in spec -%}
        {%- do parts.append('at most ' ~ spec['max']) -%}
    {%- endif -%}
    {%- if 'below' in spec -%}
        {%- do parts.append('less than ' ~ spec['below']) -%}
    {%- endif -%}
    {{ return(('of ' ~ parts | join(' and ')) if parts else '') }}
{%- endmacro %}
