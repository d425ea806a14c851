{# Stops the run when --vars names a var the project does not know, e.g.
   n_segment for n_segments: dbt itself accepts any key, so a typo would
   silently leave the default in place (k = auto instead of 3).

   Known vars are read at run time, never listed twice: the keys of vars:
   in dbt_project.yml (also those scoped under the project's name), plus any
   var a model, analysis or test reads in its own code. dbt's Jinja sandbox
   hides the var object's private fields, so the project's vars are read
   through the public var.packages_for_node(), which yields the project
   config whose .vars dbt merges under the command-line vars. #}
{% macro validate_var_names() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set cli_vars = invocation_args_dict.get('vars') or {} -%}
    {%- if cli_vars is not mapping or cli_vars | length == 0 -%}
        {{ return('select 1') }}
    {%- endif -%}

    {%- set known = [] -%}
    {%- for project in var.packages_for_node() -%}
        {%- for name, value in project.vars.to_dict().items() -%}
            {%- if name == project_name and value is mapping -%}
                {%- do known.extend(value.keys() | list) -%}
            {%- else -%}
                {%- do known.append(name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() if node.package_name == project_name -%}
        {%- do known.extend(modules.re.findall(
            "var\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]", node.raw_code or '')) -%}
    {%- endfor -%}
    {%- set known = known | unique | sort -%}

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
