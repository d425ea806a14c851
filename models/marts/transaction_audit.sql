{#- One row per outcome of the cleaning (kept, or an exclusion reason), with
    every reason listed even when no line has it. The line counts add up to
    the number of raw lines. -#}

with

lines as (

    select * from {{ ref('int_transactions__audited') }}

),

reasons as (

    select * from {{ ref('exclusion_reasons') }}

),

outcome_counts as (

    select
        coalesce(exclusion_reason, 'kept') as outcome,
        count(*) as line_count,
        count(distinct invoice_id) as invoice_count,
        count(distinct customer_id) as customer_count,
        -- rounded to cents so that reruns give identical figures
        round(sum(quantity * unit_price), 2) as line_value
    from lines
    group by 1

),

total as (

    select count(*) as raw_line_count from lines

),

audit as (

    select
        reasons.outcome,
        reasons.precedence,
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
