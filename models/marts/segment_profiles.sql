{#- One row per segment: its size, its share of customers and revenue, the
    median and mean of every customer feature, and what marketing should do
    with it. Revenue is the customers' monetary value: net of returns unless
    var monetary_basis is gross. -#}
{%- set features = customer_feature_names() -%}
{%- set money = money_feature_names() -%}

with

customers as (

    select * from {{ ref('customer_segments') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

customer_values as (

    select * from {{ ref('customer_value') }}

),

segment_figures as (

    select
        segment_id,
        count(*) as customers,
        sum(monetary) as revenue,
        sum(gross_monetary) as gross_revenue,
        {%- for feature in features %}
        {{ median(feature) }} as median_{{ feature }},
        avg({{ feature }}) as mean_{{ feature }},
        {%- endfor %}
        avg(case when is_capped then 1 else 0 end) as capped_customer_share
    from customers
    group by segment_id

),

segment_values as (

    select
        segment_id,
        sum(predicted_clv) as total_predicted_clv,
        {{ median('predicted_clv') }} as median_predicted_clv,
        avg(p_alive) as mean_p_alive,
        avg(case when p_alive < 0.5 then 1 else 0 end)
            as share_p_alive_below_half
    from customer_values
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
        -- e.g. last order 12 days ago, 8 orders, £3,451 spent, £412 per
        -- order (medians)
        {{ dbt.concat([
            "'last order '",
            format_whole_number('segment_figures.median_recency_days'),
            "case when round(segment_figures.median_recency_days, 0) = 1"
            ~ " then ' day ago, ' else ' days ago, ' end",
            format_whole_number('segment_figures.median_frequency'),
            "case when round(segment_figures.median_frequency, 0) = 1"
            ~ " then ' order, ' else ' orders, ' end",
            sql_string(var('currency_symbol')),
            format_whole_number('segment_figures.median_monetary'),
            "' spent, '",
            sql_string(var('currency_symbol')),
            format_whole_number('segment_figures.median_avg_order_value'),
            "' per order (medians)'",
        ]) }} as segment_description,
        centroids.recommended_action,
        segment_figures.customers,
        round(
            segment_figures.customers
            / cast(totals.total_customers as {{ type_double() }}),
            6
        ) as customer_share,
        {{ round_hundredths('segment_figures.revenue') }} as revenue,
        round(
            segment_figures.revenue / nullif(totals.total_revenue, 0), 6
        ) as revenue_share,
        {{ round_hundredths('segment_figures.gross_revenue') }} as gross_revenue,
        {%- for feature in features %}
        {%- for statistic in ['median', 'mean'] %}
        {%- set figure = 'segment_figures.' ~ statistic ~ '_' ~ feature %}
        {% if feature in money -%}
            {{ round_hundredths(figure) }}
        {%- else -%}
            round({{ figure }}, 4)
        {%- endif %} as {{ statistic }}_{{ feature }},
        {%- endfor %}
        {%- endfor %}
        round(segment_figures.capped_customer_share, 6)
            as capped_customer_share,
        round(centroids.value_score, 6) as value_score,
        round(centroids.name_fit, 6) as name_fit,
        {{ round_hundredths('segment_values.total_predicted_clv') }}
            as total_predicted_clv,
        {{ round_hundredths('segment_values.median_predicted_clv') }}
            as median_predicted_clv,
        round(segment_values.mean_p_alive, 6) as mean_p_alive,
        round(segment_values.share_p_alive_below_half, 6)
            as share_p_alive_below_half
    from segment_figures
    cross join totals
    inner join centroids
        on segment_figures.segment_id = centroids.segment_id
    inner join segment_values
        on segment_figures.segment_id = segment_values.segment_id

)

select * from profiles
order by segment_id
