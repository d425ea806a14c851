{# The CTEs that assign each row to its nearest centroid (squared Euclidean
   distance in the standardised feature space; ties go to the lower, more
   valuable, segment id). One code path for int_customers__segment_assignment,
   the history's assignment and the refits' would-change share. The caller's
   import CTEs: `standardised` (the columns in `keys` and `<feature>_scaled`
   per feature) and `centroids` (segment_id and `centroid_<feature>`, with
   the columns in `centroid_keys` to match on, e.g. the as-of date of a
   refit). The last CTE is `nearest`: the keys, segment_id and
   distance_to_centroid.
   The centroids are laid side by side (one column per segment id up to the
   largest k the vars allow), so each row is scored in one pass: no row per
   row and centroid, no sort. #}
{% macro nearest_centroid(keys, centroid_keys=[]) -%}
{%- set features = var('segment_features') -%}
{%- set n_segments = var('n_segments') -%}
{%- set max_k = (n_segments if n_segments != 'auto' else var('k_range')[1]) | int -%}

centroids_side_by_side as (

    select
        {%- for key in centroid_keys %}
        {{ key }},
        {%- endfor %}
        {%- for segment in range(1, max_k + 1) %}
        {%- for feature in features %}
        max(case when segment_id = {{ segment }} then centroid_{{ feature }} end)
            as segment_{{ segment }}__{{ feature }}
        {{- "," if not (loop.last and segment == max_k) }}
        {%- endfor %}
        {%- endfor %}
    from centroids
    {%- if centroid_keys %}
    group by {{ centroid_keys | join(', ') }}
    {%- endif %}

),

distances as (

    select
        {%- for key in keys %}
        standardised.{{ key }},
        {%- endfor %}
        {%- for segment in range(1, max_k + 1) %}
        -- null when the model has no segment {{ segment }}
        (
            {%- for feature in features %}
            power(
                standardised.{{ feature }}_scaled
                - centroids_side_by_side.segment_{{ segment }}__{{ feature }},
                2
            ){{ " +" if not loop.last }}
            {%- endfor %}
        ) as squared_distance_{{ segment }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from standardised
    {%- if centroid_keys %}
    inner join centroids_side_by_side
        on
            {%- for key in centroid_keys %}
            standardised.{{ key }} = centroids_side_by_side.{{ key }}
            {{- " and" if not loop.last }}
            {%- endfor %}
    {%- else %}
    cross join centroids_side_by_side
    {%- endif %}

),

smallest as (

    select
        *,
        -- a segment the model lacks is infinitely far
        least(
            {%- for segment in range(1, max_k + 1) %}
            coalesce(squared_distance_{{ segment }}, cast('Infinity' as {{ type_double() }}))
            {{- "," if not loop.last }}
            {%- endfor %}
        ) as squared_distance
    from distances

),

nearest as (

    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        -- the first (lowest) segment id at the smallest distance
        cast(
            case
                {%- for segment in range(1, max_k + 1) %}
                when squared_distance_{{ segment }} = squared_distance then {{ segment }}
                {%- endfor %}
            end as {{ dbt.type_bigint() }}
        ) as segment_id,
        sqrt(squared_distance) as distance_to_centroid
    from smallest

)
{%- endmacro %}
