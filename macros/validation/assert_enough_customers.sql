{# Post-hook of int_customers__fit_sample: stop, before any Python runs, when
   a fixed n_segments exceeds the distinct customer profiles, with a message
   that says what to change. (The Python models check the same; their errors
   come wrapped in a traceback. No customers at all is stopped earlier, by
   assert_lines_usable on the audit.) #}
{% macro assert_enough_customers() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set n_segments = var('n_segments') -%}
    {%- if n_segments | string | lower == 'auto' -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set scaled = [] -%}
    {%- for feature in var('segment_features') -%}
        {%- do scaled.append(feature ~ '_scaled') -%}
    {%- endfor -%}
    {%- set counts = run_query(
        "select count(*), (select count(*) from (select distinct "
        ~ scaled | join(', ') ~ " from " ~ this ~ ")) from " ~ this) -%}
    {%- set customers = counts.columns[0].values()[0] -%}
    {%- set profiles = counts.columns[1].values()[0] -%}
    {%- if n_segments > profiles -%}
        {{ exceptions.raise_compiler_error(
            "n_segments is " ~ n_segments ~ " but there are only " ~ profiles
            ~ " distinct customer profiles (" ~ customers ~ " customers). Lower "
            ~ "n_segments, or use n_segments: auto.") }}
    {%- endif -%}
    select 1
{% endmacro %}
