{#- One row per as-of date of the history: the current as-of date (var
    as_of_date, or the day after the last kept order) and, before it, the
    start of every period (var history_grain) after the first kept order,
    the last var history_periods of them. Customer features are computed
    at each of these dates from the orders strictly before it; the current
    one is the date of customer_segments. -#}
{%- set grain = var('history_grain') -%}
{%- set periods = var('history_periods') -%}
{%- set as_of_date = as_of_date_literal() -%}

with

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

kept_dates as (

    select
        min(cast(first_invoiced_at as date)) as first_order_date,
        max(cast(last_invoiced_at as date)) as last_order_date
    from invoices
    where outcome = 'kept'

),

current_as_of as (

    select
        first_order_date,
        {%- if as_of_date %}
        {{ as_of_date }} as as_of_date
        {%- else %}
        cast(
            {{ dbt.dateadd('day', 1, 'last_order_date') }} as date
        ) as as_of_date
        {%- endif %}
    from kept_dates

),

digits as (

    {%- for digit in range(10) %}
    select {{ digit }} as digit{{ " union all" if not loop.last }}
    {%- endfor %}

),

periods_back as (

    -- 0 to 9999: ten thousand periods (190 years of weeks) are enough
    select
        thousands.digit * 1000 + hundreds.digit * 100 + tens.digit * 10
        + ones.digit as periods_back
    from digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones

),

period_starts as (

    select
        current_as_of.first_order_date,
        cast(
            {{ dbt.dateadd(
                grain,
                '-1 * periods_back.periods_back',
                dbt.date_trunc(grain, 'current_as_of.as_of_date'),
            ) }}
            as date
        ) as as_of_date
    from current_as_of
    cross join periods_back

),

candidates as (

    select
        as_of_date,
        first_order_date
    from current_as_of

    union distinct

    -- a date on or before the first order would have no customer
    select
        as_of_date,
        first_order_date
    from period_starts
    -- (none is after the current date: they count back from its period)
    where as_of_date > first_order_date

),

numbered as (

    select
        as_of_date,
        row_number() over (order by as_of_date desc) as dates_back
    from candidates

),

kept as (

    select as_of_date
    from numbered
    {%- if periods != 'all' %}
    where dates_back <= {{ periods | int }}
    {%- endif %}

),

as_of_dates as (

    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date,
        -- the orders of the period a date closes: since the previous date,
        -- or one period (var history_grain) back for the first date
        coalesce(
            lag(as_of_date) over (order by as_of_date),
            cast({{ dbt.dateadd(grain, -1, 'as_of_date') }} as date)
        ) as period_start,
        cast(
            row_number() over (order by as_of_date) as {{ dbt.type_bigint() }}
        ) as date_number,
        as_of_date = max(as_of_date) over () as is_current
    from kept

)

select * from as_of_dates
