{#- One row per first-order month (cohort) and month since it, up to the
    month of the last day before the current as-of date: how many of the
    cohort's customers had a kept order in that calendar month. Monthly
    whatever var history_grain is. An order's date is the date of its last
    line, as in macro customer_features, and a customer's cohort is the
    month of the first such date, so month 0 is the whole cohort. -#}

with

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates__spine') }}

),

current_as_of as (

    select
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date)
            as as_of_month,
        -- the month of the last day with orders before the as-of date
        cast(
            {{ dbt.date_trunc(
                'month',
                dbt.dateadd('day', -1, 'as_of_date'),
            ) }} as date
        ) as last_month
    from as_of_dates
    where is_current

),

order_months as (

    select distinct
        customer_id,
        cast(
            {{ dbt.date_trunc('month', 'cast(last_invoiced_at as date)') }}
            as date
        ) as activity_month
    from invoices
    where outcome = 'kept'

),

cohorts as (

    select
        customer_id,
        min(activity_month) as cohort_month
    from order_months
    group by 1

),

cohort_sizes as (

    select
        cohort_month,
        count(*) as cohort_customers
    from cohorts
    group by 1

),

cohort_activity as (

    select
        cohorts.cohort_month,
        order_months.activity_month,
        count(*) as active_customers
    from order_months
    inner join cohorts
        on order_months.customer_id = cohorts.customer_id
    group by 1, 2

),

digits as (

    {%- for digit in range(10) %}
    select {{ digit }} as digit{{ " union all" if not loop.last }}
    {%- endfor %}

),

month_numbers as (

    -- 0 to 999: more months (83 years) than any shop's history
    select hundreds.digit * 100 + tens.digit * 10 + ones.digit as months_since
    from digits as hundreds
    cross join digits as tens
    cross join digits as ones

),

cohort_months as (

    -- every month of every cohort, also one where nobody ordered
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        month_numbers.months_since,
        cast(
            {{ dbt.dateadd(
                'month',
                'month_numbers.months_since',
                'cohort_sizes.cohort_month',
            ) }} as date
        ) as activity_month
    from cohort_sizes
    cross join month_numbers

),

cohort_retention as (

    select
        cohort_months.cohort_month,
        cast(cohort_months.months_since as {{ dbt.type_bigint() }})
            as months_since,
        cohort_months.activity_month,
        cohort_months.cohort_customers,
        cast(
            coalesce(cohort_activity.active_customers, 0)
            as {{ dbt.type_bigint() }}
        ) as active_customers,
        round(
            coalesce(cohort_activity.active_customers, 0)
            / cast(cohort_months.cohort_customers as {{ type_double() }}),
            6
        ) as retention_share,
        -- the current as-of date's own month holds only its days before it
        cohort_months.activity_month = current_as_of.as_of_month
            as is_partial_month
    from cohort_months
    cross join current_as_of
    left join cohort_activity
        on
            cohort_months.cohort_month = cohort_activity.cohort_month
            and cohort_months.activity_month = cohort_activity.activity_month
    where cohort_months.activity_month <= current_as_of.last_month

)

select * from cohort_retention
order by 1, 2
