-- Which customers used to be big spenders but have stopped buying? Big
-- spender: monetary value (net of returns, so a big order cancelled in full
-- does not make one) in the top decile of all customers. Lapsed: no order
-- for more than var('lapsed_after_days') days before as_of_date. Sorted by
-- what they spent, so win-back starts with the most valuable.

with

customers as (

    select * from {{ ref('customer_segments') }}

),

top_decile as (

    -- the monetary value above which the top 10 % of customers lie
    select {{ quantile('monetary', 0.9) }} as big_spender_threshold
    from customers

),

lapsed_big as (

    select
        customers.customer_id,
        customers.segment_id,
        customers.segment_name,
        customers.country,
        customers.monetary,
        customers.gross_monetary,
        customers.frequency,
        customers.avg_order_value,
        customers.last_order_date,
        customers.recency_days,
        customers.returned_orders,
        customers.returned_value
    from customers
    cross join top_decile
    where
        customers.monetary >= top_decile.big_spender_threshold
        and customers.recency_days
        > {{ var('lapsed_after_days') | int }}

)

select * from lapsed_big
order by monetary desc, customer_id asc
