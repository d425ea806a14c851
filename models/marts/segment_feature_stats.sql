{#- One row per segment and clustering feature: how far the segment's centroid
    sits from the average customer (standardised units, what a heatmap draws;
    also oriented so that higher is better for every feature, and in
    original units), and how strongly the feature separates the segments
    overall (one-way ANOVA F statistic and p-value, the same on every row of
    a feature). -#}
{%- set features = var('segment_features') -%}
{%- set lower_is_better = var('lower_is_better_features') or [] -%}

with

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

anova as (

    select * from {{ ref('int_features__anova') }}

),

centroid_values as (

    {%- for feature in features %}
    select
        segment_id,
        segment_name,
        {{ sql_string(feature) }} as feature_name,
        centroid_{{ feature }} as standardised_centroid,
        -- flipped where lower is better, so that high = good on a heatmap
        {{ '-' if feature in lower_is_better }}centroid_{{ feature }}
            as value_oriented_centroid,
        centroid_{{ feature }}_original as original_unit_centroid
    from centroids
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

feature_stats as (

    select
        centroid_values.segment_id,
        centroid_values.segment_name,
        centroid_values.feature_name,
        {{ dbt.concat([
            'cast(centroid_values.segment_id as ' ~ dbt.type_string() ~ ')',
            "'-'",
            'centroid_values.feature_name',
        ]) }} as segment_feature_id,
        round(centroid_values.standardised_centroid, 6)
            as standardised_centroid,
        round(centroid_values.value_oriented_centroid, 6)
            as value_oriented_centroid,
        {{ round_hundredths('centroid_values.original_unit_centroid') }}
            as original_unit_centroid,
        round(anova.f_statistic, 6) as f_statistic,
        anova.p_value
    from centroid_values
    inner join anova
        on centroid_values.feature_name = anova.feature_name

)

select * from feature_stats
order by segment_id, feature_name
