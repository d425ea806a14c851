-- Who are our biggest spenders, which segment are they in, and how much of
-- total revenue does each bring (alone and together with everyone above)?
-- The top var('top_n_customers') customers by monetary value (net of
-- returns), with their gross spend and returns beside it.

with

customers as (

    select * from {{ ref('customer_segments') }}

),

ranked as (

    select
        customer_id,
        segment_id,
        segment_name,
        country,
        monetary,
        gross_monetary,
        frequency,
        avg_order_value,
        recency_days,
        returned_value,
        rank() over (order by monetary desc) as spend_rank,
        monetary / sum(monetary) over () as revenue_share
    from customers

),

top_spenders as (

    select
        spend_rank,
        customer_id,
        segment_id,
        segment_name,
        country,
        monetary,
        gross_monetary,
        frequency,
        avg_order_value,
        recency_days,
        returned_value,
        round(revenue_share, 6) as revenue_share,
        round(
            sum(revenue_share) over (
                order by spend_rank, customer_id
                rows between unbounded preceding and current row
            ),
            6
        ) as cumulative_revenue_share
    from ranked
    where spend_rank <= {{ var('top_n_customers') | int }}

)

select * from top_spenders
order by spend_rank, customer_id
