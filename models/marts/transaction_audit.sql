{#- One row per outcome of the cleaning (kept, or an exclusion reason), with
    every reason listed even when no line has it. The line counts add up to
    the number of raw lines. -#}

with

invoices as (

    select * from {{ ref('int_invoice_outcomes__audited') }}

),

reasons as (

    select * from {{ ref('exclusion_reasons') }}

),

outcome_counts as (

    select
        outcome,
        cast(sum(line_count) as {{ dbt.type_bigint() }}) as line_count,
        count(distinct invoice_id) as invoice_count,
        count(distinct customer_id) as customer_count,
        -- rounded to cents so that reruns give identical figures
        {{ round_hundredths('sum(line_value)') }} as line_value
    from invoices
    group by 1

),

total as (

    select
        cast(sum(line_count) as {{ dbt.type_bigint() }}) as raw_line_count
    from invoices

),

audit as (

    select
        reasons.outcome,
        -- a seed's whole numbers are integer on DuckDB, bigint on Spark
        cast(reasons.precedence as integer) as precedence,
        reasons.description,
        reasons.outcome = 'kept' as is_kept,
        coalesce(outcome_counts.line_count, 0) as line_count,
        coalesce(outcome_counts.line_count, 0)
        / nullif(cast(total.raw_line_count as {{ type_double() }}), 0)
            as line_share,
        coalesce(outcome_counts.invoice_count, 0) as invoice_count,
        coalesce(outcome_counts.customer_count, 0) as customer_count,
        coalesce(outcome_counts.line_value, 0) as line_value,
        total.raw_line_count
    from reasons
    cross join total
    left join outcome_counts
        on reasons.outcome = outcome_counts.outcome

)

select * from audit
