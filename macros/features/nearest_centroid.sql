{# The CTEs that assign each row to its nearest centroid (squared Euclidean
   distance in the standardised feature space; ties go to the lower, more
   valuable, segment id). One code path for int_customers__segment_assignment
   and the history. The caller's import CTEs: `standardised` (the columns in
   `keys` and `<feature>_scaled` per feature) and `centroids` (segment_id and
   `centroid_<feature>`, with the columns in `centroid_keys` to match on,
   e.g. the as-of date of a refit). The last CTE is `nearest`: the keys,
   segment_id and distance_to_centroid. #}
{% macro nearest_centroid(keys, centroid_keys=[]) -%}
{%- set features = var('segment_features') -%}

distances as (

    select
        {%- for key in keys %}
        standardised.{{ key }},
        {%- endfor %}
        centroids.segment_id,
        (
            {%- for feature in features %}
            power(
                standardised.{{ feature }}_scaled
                - centroids.centroid_{{ feature }},
                2
            ){{ " +" if not loop.last }}
            {%- endfor %}
        ) as squared_distance
    from standardised
    {%- if centroid_keys %}
    inner join centroids
        on
            {%- for key in centroid_keys %}
            standardised.{{ key }} = centroids.{{ key }}
            {{- " and" if not loop.last }}
            {%- endfor %}
    {%- else %}
    cross join centroids
    {%- endif %}

),

nearest as (

    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        segment_id,
        sqrt(squared_distance) as distance_to_centroid
    from distances
    qualify row_number() over (
        partition by {{ keys | join(', ') }}
        order by squared_distance asc, segment_id asc
    ) = 1

)
{%- endmacro %}
