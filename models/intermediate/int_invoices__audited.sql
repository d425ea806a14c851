{#- The audit of every raw line, summed per invoice: one row per invoice,
    customer, country and outcome (kept, or the exclusion reason), with the
    number of lines, their value and units. This is the only model that
    reads every line and is stored: the customer features and the
    transaction_audit mart read it, not the lines. (Storing a row per line
    cost 70% of the build at 100M lines.) The rules are the macros of
    macros/cleaning/exclusion_rules.sql, applied once per distinct line; the
    view int_transactions__checked applies them to each raw line. -#}
{{ config(post_hook="{{ assert_lines_usable() }}") }}

with

lines as (

    select * from {{ ref('stg_transactions__lines') }}

),

distinct_lines as (

    -- exact copies of a line (same values once parsed, in one file or
    -- several) collapse into one row
    select
        invoice_id,
        product_id,
        customer_id,
        description,
        country,
        quantity,
        unit_price,
        invoiced_at,
        count(*) as copy_count
    from lines
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

checked_lines as (

    -- the reasons follow from the values, so every copy has the same ones
    select
        *,
        {{ exclusion_reason_before_copies() }} as exclusion_reason_before_copies,
        {{ exclusion_reason_after_copies() }} as exclusion_reason_after_copies
    from distinct_lines

),

line_outcomes as (

    -- a reason that ranks before 'duplicate' holds for every copy; otherwise
    -- the first copy gets its outcome (kept, future_date, ...) and the other
    -- copies are duplicates
    select
        invoice_id,
        customer_id,
        country,
        invoiced_at,
        quantity,
        quantity * unit_price as line_value,
        coalesce(
            exclusion_reason_before_copies,
            exclusion_reason_after_copies,
            'kept'
        ) as first_copy_outcome,
        case
            when exclusion_reason_before_copies is null then 1
            else copy_count
        end as first_copy_lines,
        case
            when exclusion_reason_before_copies is null then copy_count - 1
            else 0
        end as duplicate_lines,
        -- a cancellation that passes the rules a purchase must pass counts
        -- once, in returned_orders and returned_value
        coalesce(
            exclusion_reason_before_copies = 'cancellation'
            and exclusion_reason_after_copies is null,
            false
        ) as is_counted_return
    from checked_lines

),

per_invoice as (

    select
        invoice_id,
        customer_id,
        country,
        first_copy_outcome,
        min(invoiced_at) as first_invoiced_at,
        max(invoiced_at) as last_invoiced_at,
        sum(first_copy_lines) as first_copy_line_count,
        sum(first_copy_lines * line_value) as first_copy_value,
        sum(first_copy_lines * quantity) as first_copy_units,
        sum(duplicate_lines) as duplicate_line_count,
        sum(duplicate_lines * line_value) as duplicate_value,
        sum(duplicate_lines * quantity) as duplicate_units,
        sum(case when is_counted_return then 1 else 0 end)
            as returned_line_count,
        sum(case when is_counted_return then -line_value else 0 end)
            as returned_value
    from line_outcomes
    group by 1, 2, 3, 4

),

copy_kinds as (

    select false as is_duplicate
    union all
    select true as is_duplicate

),

split as (

    -- each per-invoice row once for its first copies and once for the
    -- duplicates, when it has any
    select
        per_invoice.invoice_id,
        per_invoice.customer_id,
        per_invoice.country,
        case
            when copy_kinds.is_duplicate then 'duplicate'
            else per_invoice.first_copy_outcome
        end as outcome,
        per_invoice.first_invoiced_at,
        per_invoice.last_invoiced_at,
        case
            when copy_kinds.is_duplicate then per_invoice.duplicate_line_count
            else per_invoice.first_copy_line_count
        end as line_count,
        case
            when copy_kinds.is_duplicate then per_invoice.duplicate_value
            else per_invoice.first_copy_value
        end as line_value,
        case
            when copy_kinds.is_duplicate then per_invoice.duplicate_units
            else per_invoice.first_copy_units
        end as units,
        case
            when copy_kinds.is_duplicate then 0
            else per_invoice.returned_line_count
        end as returned_line_count,
        case
            when copy_kinds.is_duplicate then 0
            else per_invoice.returned_value
        end as returned_value
    from per_invoice
    cross join copy_kinds
    where not copy_kinds.is_duplicate or per_invoice.duplicate_line_count > 0

),

audited as (

    -- the duplicates of kept and of future-dated lines of one invoice are
    -- one row
    select
        invoice_id,
        customer_id,
        country,
        outcome,
        min(first_invoiced_at) as first_invoiced_at,
        max(last_invoiced_at) as last_invoiced_at,
        cast(sum(line_count) as {{ dbt.type_bigint() }}) as line_count,
        sum(line_value) as line_value,
        sum(units) as units,
        cast(sum(returned_line_count) as {{ dbt.type_bigint() }})
            as returned_line_count,
        sum(returned_value) as returned_value
    from split
    group by 1, 2, 3, 4

)

select * from audited
