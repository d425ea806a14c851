{#- One row per as-of date and segment: where the segment's centroid would be
    if K-Means were refitted at that date from the current centroids
    (int_segments__refits, in original units), the segment's median customer
    and share under the current model, how far the refit centroid is from the
    current one and moved since the previous date, and the share of the
    segment's customers a refit would move to another segment (each
    customer's nearest refit centroid at that date, by the SQL that scores
    the current model). -#}
{%- set features = var('segment_features') -%}
{%- set money = money_feature_names() -%}

with

standardised as (

    select * from {{ ref('int_customer_history__standardised') }}

),

centroids as (

    select * from {{ ref('int_segments__refits') }}

),

history as (

    select * from {{ ref('customer_segment_history') }}

),

segments as (

    select * from {{ ref('int_segments__centroids') }}

),

{{ nearest_centroid(['customer_id', 'as_of_date'], ['as_of_date']) }},

customer_refits as (

    select
        history.as_of_date,
        history.segment_id,
        {%- for feature in features %}
        history.{{ feature }},
        {%- endfor %}
        case
            when nearest.segment_id = history.segment_id then 0 else 1
        end as would_change
    from history
    inner join nearest
        on
            history.customer_id = nearest.customer_id
            and history.as_of_date = nearest.as_of_date

),

segment_figures as (

    select
        as_of_date,
        segment_id,
        count(*) as customers,
        {%- for feature in features %}
        {{ median(feature) }} as median_{{ feature }},
        {%- endfor %}
        avg(cast(would_change as {{ type_double() }})) as would_change_share
    from customer_refits
    group by as_of_date, segment_id

),

date_totals as (

    select
        as_of_date,
        count(*) as total_customers
    from customer_refits
    group by as_of_date

),

centroid_history as (

    select
        centroids.as_of_date,
        centroids.segment_id,
        segments.segment_name,
        centroids.is_refitted,
        {%- for feature in features %}
        {%- set centroid = 'centroids.centroid_' ~ feature ~ '_original' %}
        {% if feature in money -%}
            {{ round_hundredths(centroid) }}
        {%- else -%}
            round({{ centroid }}, 4)
        {%- endif %} as centroid_{{ feature }},
        {%- endfor %}
        {%- for feature in features %}
        {%- set median_value = 'segment_figures.median_' ~ feature %}
        {% if feature in money -%}
            {{ round_hundredths(median_value) }}
        {%- else -%}
            round({{ median_value }}, 4)
        {%- endif %} as median_{{ feature }},
        {%- endfor %}
        coalesce(segment_figures.customers, 0) as customers,
        round(
            coalesce(segment_figures.customers, 0)
            / cast(date_totals.total_customers as {{ type_double() }}),
            6
        ) as customer_share,
        round(centroids.distance_moved, 6) as distance_moved,
        round(centroids.distance_from_current, 6) as distance_from_current,
        -- a date that was not refitted carries the current centroids: no
        -- refit to adopt, so no share (its 0 would read as "stable")
        case
            when centroids.is_refitted
                then round(segment_figures.would_change_share, 6)
        end as would_change_share
    from centroids
    inner join segments
        on centroids.segment_id = segments.segment_id
    inner join date_totals
        on centroids.as_of_date = date_totals.as_of_date
    left join segment_figures
        on
            centroids.as_of_date = segment_figures.as_of_date
            and centroids.segment_id = segment_figures.segment_id

)

select * from centroid_history
order by as_of_date, segment_id
