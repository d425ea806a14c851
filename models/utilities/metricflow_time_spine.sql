{#- One row per day, from the first of January of the year of the first
    order to the thirty-first of December of the year of the current as-of
    date: the calendar MetricFlow (the semantic layer, models/marts/
    _semantic_layer.yml) joins metrics to when it fills days without
    orders or counts over a window. Built from customer_segments, so that
    it covers every date a metric can be grouped by. -#}
with

customers as (

    select * from {{ ref('customer_segments') }}

),

bounds as (

    select
        cast(
            {{ dbt.date_trunc('year', 'min(first_order_date)') }} as date
        ) as first_day,
        cast(
            {{ dbt.dateadd(
                'year', 1, dbt.date_trunc('year', 'max(as_of_date)')
            ) }} as date
        ) as end_day
    from customers

),

digits as (

    {%- for digit in range(10) %}
    select {{ digit }} as digit{{ " union all" if not loop.last }}
    {%- endfor %}

),

day_numbers as (

    -- 0 to 99999: a hundred thousand days (273 years) cover any order
    -- history
    select
        ten_thousands.digit * 10000 + thousands.digit * 1000
        + hundreds.digit * 100 + tens.digit * 10 + ones.digit as day_number
    from digits as ten_thousands
    cross join digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones

),

days as (

    select
        cast(
            {{ dbt.dateadd('day', 'day_numbers.day_number', 'bounds.first_day') }}
            as date
        ) as date_day,
        bounds.end_day
    from bounds
    cross join day_numbers

),

calendar as (

    select date_day
    from days
    where date_day < end_day

)

select * from calendar
