-- Every customer of customer_segments has a row in customer_value, and the
-- other way round: every segmented customer gets a predicted value, and
-- value inputs exist for exactly the customers with a kept order. Returns
-- the customers on one side only.

with

segments as (

    select * from {{ ref('customer_segments') }}

),

customer_value as (

    select * from {{ ref('customer_value') }}

),

value_inputs as (

    select * from {{ ref('int_customers__value_inputs') }}

),

segmented_without_value as (

    select
        segments.customer_id,
        'segmented, no value inputs' as problem
    from segments
    left join value_inputs
        on segments.customer_id = value_inputs.customer_id
    where value_inputs.customer_id is null

),

valued_without_segment as (

    select
        value_inputs.customer_id,
        'value inputs, not segmented' as problem
    from value_inputs
    left join segments
        on value_inputs.customer_id = segments.customer_id
    where segments.customer_id is null

),

missing_value_rows as (

    select
        segments.customer_id,
        'no customer_value row' as problem
    from segments
    left join customer_value
        on segments.customer_id = customer_value.customer_id
    where customer_value.customer_id is null

),

failures as (

    select * from segmented_without_value
    union all
    select * from valued_without_segment
    union all
    select * from missing_value_rows

)

select * from failures
