{# The Levenshtein distance between two strings: how many single characters
   must be inserted, deleted or replaced to turn one into the other. Used to
   name the closest known var when a --vars key is misspelt; Jinja has no
   difflib, and the strings are short var names. #}
{% macro edit_distance(a, b) -%}
    {#- a namespace, since a plain set inside a for loop ends with the loop -#}
    {%- set ns = namespace(previous=range(b | length + 1) | list) -%}
    {%- for i in range(1, a | length + 1) -%}
        {%- set current = [i] -%}
        {%- for j in range(1, b | length + 1) -%}
            {%- set replace_cost = 0 if a[i - 1] == b[j - 1] else 1 -%}
            {%- do current.append([
                ns.previous[j] + 1,
                current[j - 1] + 1,
                ns.previous[j - 1] + replace_cost,
            ] | min) -%}
        {%- endfor -%}
        {%- set ns.previous = current -%}
    {%- endfor -%}
    {{ return(ns.previous[b | length]) }}
{%- endmacro %}
