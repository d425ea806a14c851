-- Which customers used to be big spenders but have stopped buying? Big
-- spender: monetary value in the top decile of all customers. Lapsed: no
-- order for more than var('lapsed_after_days', 90) days before as_of_date.
-- Sorted by what they spent, so win-back starts with the most valuable;
-- net_value shows what is left after returns (a big order that was
-- cancelled in full makes a big spender on paper only).

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
        customers.frequency,
        customers.avg_order_value,
        customers.last_order_date,
        customers.recency_days,
        customers.returned_orders,
        customers.returned_value,
        -- monetary is gross: an order cancelled later still counts in it
        customers.monetary - customers.returned_value as net_value
    from customers
    cross join top_decile
    where
        customers.monetary >= top_decile.big_spender_threshold
        and customers.recency_days
        > {{ var('lapsed_after_days', 90) | int }}

)

select * from lapsed_big
order by monetary desc, customer_id asc
