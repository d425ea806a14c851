{#- One row per pair of consecutive as-of dates (int_as_of_dates__spine) and
    (from state, to segment) that some customer took: where the customers
    of a segment at the later date were at the earlier one (the state `new`
    for those with no order before it), and the value of their kept orders
    in between. Only combinations that occur have a row. -#}

with

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

history as (

    select * from {{ ref('customer_segment_history') }}

),

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

date_pairs as (

    select
        previous_as_of_date as from_as_of_date,
        as_of_date as to_as_of_date
    from as_of_dates
    where previous_as_of_date is not null

),

period_revenue as (

    -- an invoice's date is that of its last line, as in the features
    -- (macro customer_features): the orders the later date adds to the
    -- earlier one's, so revenue sums to the growth of gross_monetary
    select
        invoices.customer_id,
        date_pairs.to_as_of_date,
        {{ round_hundredths('sum(invoices.line_value)') }} as revenue
    from invoices
    inner join date_pairs
        on
            cast(invoices.last_invoiced_at as date)
            >= date_pairs.from_as_of_date
            and cast(invoices.last_invoiced_at as date)
            < date_pairs.to_as_of_date
    where invoices.outcome = 'kept'
    group by invoices.customer_id, date_pairs.to_as_of_date

),

customer_moves as (

    -- every customer at the earlier date is at the later one (features
    -- count the orders before a date, so they only accumulate): starting
    -- from the later date misses nobody
    select
        date_pairs.from_as_of_date,
        date_pairs.to_as_of_date,
        from_rows.segment_id as from_segment_id,
        case
            when from_rows.customer_id is null then 'new'
            else from_rows.segment_name
        end as from_segment_name,
        to_rows.segment_id as to_segment_id,
        to_rows.segment_name as to_segment_name,
        coalesce(period_revenue.revenue, 0) as revenue
    from date_pairs
    inner join history as to_rows
        on date_pairs.to_as_of_date = to_rows.as_of_date
    left join history as from_rows
        on
            to_rows.customer_id = from_rows.customer_id
            and date_pairs.from_as_of_date = from_rows.as_of_date
    left join period_revenue
        on
            to_rows.customer_id = period_revenue.customer_id
            and to_rows.as_of_date = period_revenue.to_as_of_date

),

flows as (

    select
        from_as_of_date,
        to_as_of_date,
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name,
        count(*) as customers,
        sum(revenue) as revenue
    from customer_moves
    group by
        from_as_of_date,
        to_as_of_date,
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name

),

segment_migration as (

    select
        from_as_of_date,
        to_as_of_date,
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name,
        customers,
        -- of the from-segment's customers at the earlier date; the new
        -- customers (a null id) are one partition: of the period's new ones
        round(
            customers / cast(
                sum(customers) over (
                    partition by to_as_of_date, from_segment_id
                ) as {{ type_double() }}
            ),
            6
        ) as share_of_from,
        {{ round_hundredths('revenue') }} as revenue
    from flows

)

select * from segment_migration
-- the new customers first, then the segments in order
order by to_as_of_date, from_segment_id nulls first, to_segment_id
