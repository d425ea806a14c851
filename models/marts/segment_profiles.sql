{#- One row per segment: its size, its share of customers and revenue, the
    median and mean of every customer feature, and what marketing should do
    with it. -#}
{%- set features = customer_feature_names() -%}

with

customers as (

    select * from {{ ref('customer_segments') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

segment_figures as (

    select
        segment_id,
        count(*) as customers,
        sum(monetary) as revenue,
        {%- for feature in features %}
        {{ median(feature) }} as median_{{ feature }},
        avg({{ feature }}) as mean_{{ feature }},
        {%- endfor %}
        avg(case when is_capped then 1.0 else 0.0 end) as capped_customer_share
    from customers
    group by segment_id

),

totals as (

    select
        count(*) as total_customers,
        sum(monetary) as total_revenue
    from customers

),

profiles as (

    select
        segment_figures.segment_id,
        centroids.segment_name,
        {{ dbt.concat([
            "'bought '",
            format_whole_number('segment_figures.median_recency_days'),
            "' days ago on median, '",
            format_whole_number('segment_figures.median_frequency'),
            "case when segment_figures.median_frequency = 1"
            ~ " then ' order, ' else ' orders, ' end",
            sql_string(var('currency_symbol')),
            format_whole_number('segment_figures.median_monetary'),
            "' spent'",
        ]) }} as segment_description,
        centroids.recommended_action,
        segment_figures.customers,
        round(
            segment_figures.customers
            / cast(totals.total_customers as {{ type_double() }}),
            6
        ) as customer_share,
        segment_figures.revenue,
        round(
            segment_figures.revenue / nullif(totals.total_revenue, 0), 6
        ) as revenue_share,
        {%- for feature in features %}
        round(segment_figures.median_{{ feature }}, 4) as median_{{ feature }},
        round(segment_figures.mean_{{ feature }}, 4) as mean_{{ feature }},
        {%- endfor %}
        round(segment_figures.capped_customer_share, 6)
            as capped_customer_share,
        round(centroids.value_score, 6) as value_score
    from segment_figures
    cross join totals
    inner join centroids
        on segment_figures.segment_id = centroids.segment_id

)

select * from profiles
order by segment_id
