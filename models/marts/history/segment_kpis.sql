{#- One row per as-of date of the history and segment of the current model
    with customers at that date (customer_segment_history): the segment's
    size, its customers' kept-order revenue in the period the date closes,
    the share of them who bought again within var churn_window_days days
    after the date (only where that window has fully passed), and its new
    and reactivated customers. An order's date is the date of its last
    line, as in macro customer_features. -#}
{%- set window_days = var('churn_window_days') -%}

with

history as (

    select * from {{ ref('customer_segment_history') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

lifecycle as (

    select * from {{ ref('int_customer_history__lifecycle') }}

),

order_days as (

    -- a kept invoice counts from the date of its last line (macro
    -- customer_features); its value is before returns
    select
        customer_id,
        cast(last_invoiced_at as date) as order_date,
        sum(line_value) as order_value
    from invoices
    where outcome = 'kept'
    group by 1, 2

),

window_ends as (

    select
        as_of_date,
        cast(
            {{ dbt.dateadd('day', window_days, 'as_of_date') }} as date
        ) as window_end
    from as_of_dates

),

current_as_of as (

    select as_of_date
    from as_of_dates
    where is_current

),

windows as (

    -- the churn window after each date, kept only where it has fully
    -- passed by the current as-of date: every order in it is in the data
    select
        window_ends.as_of_date,
        window_ends.window_end
    from window_ends
    cross join current_as_of
    where window_ends.window_end <= current_as_of.as_of_date

),

period_revenue as (

    select
        order_days.customer_id,
        as_of_dates.as_of_date,
        sum(order_days.order_value) as gross_revenue
    from order_days
    inner join as_of_dates
        on
            order_days.order_date >= as_of_dates.period_start
            and order_days.order_date < as_of_dates.as_of_date
    group by 1, 2

),

retained as (

    select distinct
        order_days.customer_id,
        windows.as_of_date
    from order_days
    inner join windows
        on
            order_days.order_date >= windows.as_of_date
            and order_days.order_date < windows.window_end

),

customer_dates as (

    select
        history.as_of_date,
        history.segment_id,
        history.segment_name,
        coalesce(period_revenue.gross_revenue, 0) as gross_revenue,
        retained.customer_id is not null as is_retained,
        history.first_order_date >= as_of_dates.period_start as is_new,
        lifecycle.stage = 'reactivated' as is_reactivated
    from history
    inner join as_of_dates
        on history.as_of_date = as_of_dates.as_of_date
    inner join lifecycle
        on
            history.customer_id = lifecycle.customer_id
            and history.as_of_date = lifecycle.as_of_date
    left join period_revenue
        on
            history.customer_id = period_revenue.customer_id
            and history.as_of_date = period_revenue.as_of_date
    left join retained
        on
            history.customer_id = retained.customer_id
            and history.as_of_date = retained.as_of_date

),

segment_counts as (

    -- count(case ...) rather than sum: a bigint on every engine
    select
        as_of_date,
        segment_id,
        segment_name,
        count(*) as customers,
        {{ round_hundredths('sum(gross_revenue)') }} as gross_revenue,
        count(case when is_retained then 1 end) as retained_customers,
        count(case when is_new then 1 end) as new_customers,
        count(case when is_reactivated then 1 end) as reactivated_customers
    from customer_dates
    group by 1, 2, 3

),

segment_kpis as (

    -- retention only where the churn window has passed (windows)
    select
        segment_counts.as_of_date,
        segment_counts.segment_id,
        segment_counts.segment_name,
        segment_counts.customers,
        segment_counts.gross_revenue,
        case
            when windows.as_of_date is not null
                then segment_counts.retained_customers
        end as retained_customers,
        case
            when windows.as_of_date is not null
                then round(
                    segment_counts.retained_customers
                    / cast(segment_counts.customers as {{ type_double() }}),
                    6
                )
        end as retained_share,
        segment_counts.new_customers,
        segment_counts.reactivated_customers
    from segment_counts
    left join windows
        on segment_counts.as_of_date = windows.as_of_date

)

select * from segment_kpis
order by 1, 2
