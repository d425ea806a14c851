{# Stops the run when --vars names a var the project does not know, e.g.
   n_segment for n_segments: dbt itself accepts any key, so a typo would
   silently leave the default in place (k = auto instead of 3).

   Known vars are the ones var_schema() declares, the project's one list of
   vars (python_tests/test_var_schema.py keeps dbt_project.yml's vars: equal
   to it, and dbt itself stops on a var() nobody declared). #}
{% macro validate_var_names() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set cli_vars = invocation_args_dict.get('vars') or {} -%}
    {%- if cli_vars is not mapping or cli_vars | length == 0 -%}
        {{ return('select 1') }}
    {%- endif -%}

    {%- set known = var_schema().keys() | sort -%}

    {%- set errors = [] -%}
    {%- for name in cli_vars if name not in known -%}
        {%- set ns = namespace(closest=none, distance=none) -%}
        {%- for candidate in known -%}
            {%- set distance = edit_distance(name | lower, candidate | lower) -%}
            {%- if ns.distance is none or distance < ns.distance -%}
                {%- set ns.closest = candidate -%}
                {%- set ns.distance = distance -%}
            {%- endif -%}
        {%- endfor -%}
        {#- a suggestion only when it is close, as difflib would make it:
            a wholly different word gets the list alone -#}
        {%- if ns.closest is not none and ns.distance <= 1 + (name | length) // 3 -%}
            {%- do errors.append("Unknown var '" ~ name ~ "' (did you mean '"
                ~ ns.closest ~ "'?)") -%}
        {%- else -%}
            {%- do errors.append("Unknown var '" ~ name ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if errors -%}
        {{ exceptions.raise_compiler_error(errors | join("\n") ~ "\nKnown vars: "
            ~ known | join(", ")
            ~ "\n(vars are declared in dbt_project.yml under vars:)") }}
    {%- endif -%}
    select 1
{% endmacro %}
