{#- One row per customer with a kept order: the inputs of the purchase models
    (BG/NBD, MBG/NBD) and of Gamma-Gamma, with the papers' definitions, at
    the current as-of date and at the start of the holdout (var
    value_holdout_days) that value_model_validation judges the models on.
    A purchase day is a day with at least one kept order: two invoices on
    one day are one purchase occasion, which is what the models count. Its
    value is what was bought that day. With var monetary_basis `net` (the
    default) the repeat days' value is net of the returns the customer made
    after the first purchase day, floored at 0: an order taken back is not
    worth its price, and one large order returned at once must not make a
    customer look valuable. A return is not a purchase occasion. -#}
{%- set holdout_days = var('value_holdout_days') | int -%}
{%- set net_of_returns = var('monetary_basis') == 'net' -%}

with

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

periods as (

    select
        as_of_date,
        cast(
            {{ dbt.dateadd('day', -holdout_days, 'as_of_date') }} as date
        ) as holdout_start_date
    from as_of_dates
    where is_current

),

kept_orders as (

    -- an invoice is dated by its last line, as the customer features date it
    select
        customer_id,
        invoice_id,
        max(cast(last_invoiced_at as date)) as purchase_date,
        {{ round_hundredths('sum(line_value)') }} as order_value
    from invoices
    where outcome = 'kept'
    group by 1, 2

),

{%- if net_of_returns %}

returns as (

    select
        customer_id,
        cast(last_invoiced_at as date) as return_date,
        sum(returned_value) as returned_value
    from invoices
    where returned_line_count > 0
    group by 1, 2

),

{%- endif %}

purchase_days as (

    select
        customer_id,
        purchase_date,
        sum(order_value) as purchase_value,
        row_number() over (
            partition by customer_id order by purchase_date
        ) as purchase_day_number
    from kept_orders
    group by 1, 2

),

customer_days as (

    select
        purchase_days.customer_id,
        min(periods.as_of_date) as as_of_date,
        min(periods.holdout_start_date) as holdout_start_date,
        min(purchase_days.purchase_date) as first_purchase_date,
        max(purchase_days.purchase_date) as last_purchase_date,
        count(*) as purchase_days,
        -- Gamma-Gamma leaves the first purchase day out
        sum(
            case
                when purchase_days.purchase_day_number > 1
                    then purchase_days.purchase_value
            end
        ) as repeat_purchase_value,
        max(
            case
                when purchase_days.purchase_date < periods.holdout_start_date
                    then purchase_days.purchase_date
            end
        ) as last_calibration_purchase_date,
        count(
            case
                when purchase_days.purchase_date < periods.holdout_start_date
                    then 1
            end
        ) as calibration_purchase_days,
        count(
            case
                when purchase_days.purchase_date >= periods.holdout_start_date
                    then 1
            end
        ) as holdout_purchase_days
    from purchase_days
    cross join periods
    group by 1

),

{%- if net_of_returns %}

later_returns as (

    -- the returns made after the first purchase day come off the repeat
    -- purchase days' value (var monetary_basis)
    select
        customer_days.customer_id,
        sum(returns.returned_value) as returned_value
    from customer_days
    inner join returns
        on
            customer_days.customer_id = returns.customer_id
            and customer_days.first_purchase_date < returns.return_date
    group by 1

),

{%- endif %}

customer_values as (

    select
        customer_days.*,
        {%- if net_of_returns %}
        coalesce(later_returns.returned_value, 0) as later_returned_value
        {%- else %}
        0 as later_returned_value
        {%- endif %}
    from customer_days
    {%- if net_of_returns %}
    left join later_returns
        on customer_days.customer_id = later_returns.customer_id
    {%- endif %}

),

value_inputs as (

    select
        customer_id,
        as_of_date,
        first_purchase_date,
        last_purchase_date,
        purchase_days,
        purchase_days - 1 as repeat_purchase_days,
        cast(
            {{ dbt.datediff('first_purchase_date', 'last_purchase_date', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as days_first_to_last_purchase,
        cast(
            {{ dbt.datediff('first_purchase_date', 'as_of_date', 'day') }}
            as {{ dbt.type_bigint() }}
        ) as days_since_first_purchase,
        -- to the cent, in whole cents: the fits read it, and must read the
        -- same number on every warehouse; never below 0
        case
            when purchase_days > 1
                then {{ money_per(
                    'greatest(repeat_purchase_value - later_returned_value, 0)',
                    'purchase_days - 1',
                ) }}
        end as repeat_purchase_value_mean,
        holdout_start_date,
        -- the calibration period: the orders before the holdout, for the
        -- customers who had bought by then
        case
            when calibration_purchase_days > 0
                then calibration_purchase_days - 1
        end as calibration_repeat_purchase_days,
        case
            when calibration_purchase_days > 0
                then cast({{ dbt.datediff(
                    'first_purchase_date',
                    'last_calibration_purchase_date',
                    'day',
                ) }} as {{ dbt.type_bigint() }})
        end as calibration_days_first_to_last_purchase,
        case
            when calibration_purchase_days > 0
                then cast({{ dbt.datediff(
                    'first_purchase_date', 'holdout_start_date', 'day'
                ) }} as {{ dbt.type_bigint() }})
        end as calibration_days_since_first_purchase,
        holdout_purchase_days
    from customer_values

)

select * from value_inputs
