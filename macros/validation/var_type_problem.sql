{# The problem with a var's value against its entry in var_schema(): its type
   and bounds, as one sentence naming the var, what is expected and the
   value; or '' when the value fits. Checks one var alone; what involves
   another var or a list of known names stays in validate_vars(). #}
{% macro var_type_problem(name, spec) -%}
    {%- set value = var(name) -%}
    {%- set type = spec['type'] -%}
    {%- set is_bool = value is sameas true or value is sameas false -%}
    {#- a number that is not a boolean (true is a number to Jinja) -#}
    {%- set is_number = value is number and not is_bool -%}
    {%- set is_list = value is iterable and value is not string
        and value is not mapping -%}
    {%- set bounds = var_bounds_text(spec) -%}
    {%- set bounds = (' ' ~ bounds) if bounds else '' -%}

    {%- if type == 'path' -%}
        {%- set ok = value is string and value | trim != '' -%}
        {%- set expected = 'a file or folder path (or glob), not empty' -%}
    {%- elif type == 'table_or_null' -%}
        {#- a plain (schema.)table name: it reaches SQL unquoted -#}
        {%- set ok = value is none or (value is string and modules.re.fullmatch(
            '[A-Za-z_][A-Za-z0-9_]*([.][A-Za-z_][A-Za-z0-9_]*){0,2}', value)) -%}
        {%- set expected = 'a table name such as sales.transaction_lines (letters, digits, '
            ~ 'underscores), or null' -%}
    {%- elif type == 'text' -%}
        {%- set ok = value is string -%}
        {%- set expected = 'text' -%}
    {%- elif type == 'boolean' -%}
        {%- set ok = is_bool -%}
        {%- set expected = 'true or false' -%}
    {%- elif type == 'choice' -%}
        {%- set ok = value is string and value in spec['choices'] -%}
        {%- set expected = spec['choices'] | join(' or ') -%}
    {%- elif type == 'number' -%}
        {%- set ok = is_number and var_in_bounds(value, spec) -%}
        {%- set expected = 'a number' ~ bounds -%}
    {%- elif type == 'whole_number' -%}
        {%- set ok = is_number and (value | int) == value
            and var_in_bounds(value, spec) -%}
        {%- set expected = 'a whole number' ~ bounds -%}
    {%- elif type == 'whole_number_or_auto' -%}
        {%- set ok = value == 'auto' or (is_number and (value | int) == value
            and var_in_bounds(value, spec)) -%}
        {%- set expected = 'auto or a whole number' ~ bounds -%}
    {%- elif type == 'whole_number_or_all' -%}
        {%- set ok = value == 'all' or (is_number and (value | int) == value
            and var_in_bounds(value, spec)) -%}
        {%- set expected = 'all or a whole number' ~ bounds -%}
    {%- elif type in ('whole_number_pair', 'number_pair') -%}
        {%- set whole = type == 'whole_number_pair' -%}
        {%- set ns = namespace(ok=is_list and value | length == 2) -%}
        {%- for item in (value if ns.ok else []) -%}
            {%- if item is not number or item is sameas true or item is sameas false
                or (whole and (item | int) != item)
                or not var_in_bounds(item, spec) -%}
                {%- set ns.ok = false -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set ok = ns.ok -%}
        {%- set expected = '[lowest, highest], two '
            ~ ('whole numbers' if whole else 'numbers') ~ bounds -%}
    {%- elif type == 'list' -%}
        {%- set ns = namespace(ok=is_list) -%}
        {%- for item in (value if ns.ok else []) -%}
            {%- if item is not string and item is not number -%}
                {%- set ns.ok = false -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set ok = ns.ok -%}
        {%- set expected = 'a list of names or values, e.g. [a, b]' -%}
    {%- elif type == 'mapping' -%}
        {%- set ok = value is mapping -%}
        {%- set expected = 'a mapping, e.g. {a: b}' -%}
    {%- elif type == 'date_or_null' -%}
        {#- text or a YAML date; the date itself is parsed by a query in
            validate_vars() -#}
        {%- set ok = value is none or value is string or not (is_number
            or is_bool or is_list or value is mapping) -%}
        {%- set expected = 'a date written YYYY-MM-DD, or null' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("var_schema(): var " ~ name
            ~ " has an unknown type " ~ tojson(type)) }}
    {%- endif -%}

    {%- if not ok -%}
        {{ return("var " ~ name ~ " must be " ~ expected ~ ", got " ~ tojson(value)) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
