{#- One row per customer of customer_segments: the probability that the
    customer is still alive, the purchase days and spend expected over the
    next var value_horizon_days, and the predicted lifetime value over that
    horizon (discounted monthly at var annual_discount_rate), under the
    purchase model of var purchase_model and Gamma-Gamma, fitted at the
    as-of date (value_model). -#}
{%- set purchase_model = var('purchase_model') -%}

with

customers as (

    select * from {{ ref('customer_segments') }}

),

value_inputs as (

    select * from {{ ref('int_customers__value_inputs') }}

),

fits as (

    select * from {{ ref('int_value__fits') }}

),

expected_purchases as (

    select * from {{ ref('int_value__expected_purchases') }}

),

purchase_fit as (

    select
        purchase_model,
        r,
        alpha,
        a,
        b
    from fits
    where
        purchase_model = {{ sql_string(purchase_model) }}
        and fit_period = 'full'

),

spend_fit as (

    select
        p,
        q,
        gamma
    from fits
    where purchase_model = 'gamma_gamma'

),

scored as (

    select
        value_inputs.*,
        purchase_fit.purchase_model,
        {{ p_alive(
            'purchase_fit',
            'value_inputs.repeat_purchase_days',
            'value_inputs.days_first_to_last_purchase',
            'value_inputs.days_since_first_purchase',
        ) }} as p_alive,
        expected_purchases.horizon_days,
        expected_purchases.expected_purchases_if_alive,
        expected_purchases.discounted_purchases_if_alive,
        -- Gamma-Gamma: the customer's mean spend per purchase day shrunk
        -- towards the population's, the more so the fewer repeat days
        case
            when value_inputs.repeat_purchase_days > 0
                then spend_fit.p * (
                    spend_fit.gamma
                    + value_inputs.repeat_purchase_days
                    * value_inputs.repeat_purchase_value_mean
                ) / (
                    spend_fit.p * value_inputs.repeat_purchase_days
                    + spend_fit.q - 1
                )
            else spend_fit.p * spend_fit.gamma / (spend_fit.q - 1)
        end as expected_purchase_value
    from value_inputs
    cross join purchase_fit
    cross join spend_fit
    inner join expected_purchases
        on
            purchase_fit.purchase_model = expected_purchases.purchase_model
            and expected_purchases.fit_period = 'full'
            and value_inputs.repeat_purchase_days
            = expected_purchases.repeat_purchase_days
            and value_inputs.days_since_first_purchase
            = expected_purchases.days_since_first_purchase

),

customer_value as (

    select
        customers.customer_id,
        customers.segment_id,
        customers.segment_name,
        customers.as_of_date,
        scored.first_purchase_date,
        scored.last_purchase_date,
        scored.purchase_days,
        scored.repeat_purchase_days,
        scored.days_first_to_last_purchase,
        scored.days_since_first_purchase,
        {{ round_hundredths('scored.repeat_purchase_value_mean') }}
            as repeat_purchase_value_mean,
        scored.purchase_model,
        scored.horizon_days as value_horizon_days,
        round(scored.p_alive, 6) as p_alive,
        round(scored.p_alive * scored.expected_purchases_if_alive, 6)
            as expected_purchase_days,
        {{ round_hundredths('scored.expected_purchase_value') }}
            as expected_purchase_value,
        {{ round_hundredths(
            'scored.p_alive * scored.discounted_purchases_if_alive'
            ~ ' * scored.expected_purchase_value'
        ) }} as predicted_clv
    from customers
    left join scored
        on customers.customer_id = scored.customer_id

)

select * from customer_value
