-- The segment profiles add up to the customer table: the segments' revenue
-- sums to the customers' monetary value (within 0.01), their customers to
-- the number of customers, and their shares to 1 (within rounding).
-- Returns a row when any total disagrees.

with

profiles as (

    select * from {{ ref('segment_profiles') }}

),

customers as (

    select * from {{ ref('customer_segments') }}

),

profile_totals as (

    select
        sum(revenue) as profile_revenue,
        sum(customers) as profile_customers,
        sum(customer_share) as total_customer_share,
        sum(revenue_share) as total_revenue_share,
        count(*) as segments
    from profiles

),

customer_totals as (

    select
        sum(monetary) as customer_revenue,
        count(*) as customer_count
    from customers

),

comparison as (

    select
        profile_totals.*,
        customer_totals.*
    from profile_totals
    cross join customer_totals

),

failures as (

    select * from comparison
    where
        abs(profile_revenue - customer_revenue) > 0.01
        or profile_customers != customer_count
        or abs(total_customer_share - 1) > 0.000001 * segments
        or abs(total_revenue_share - 1) > 0.000001 * segments

)

select * from failures
