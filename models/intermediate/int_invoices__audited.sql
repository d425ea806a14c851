{#- The audit of every raw line, summed per invoice: one row per invoice,
    customer, country and outcome (kept, or the exclusion reason), with the
    number of lines, their value and units. This is the only model that
    reads every line and is stored: the customer features and the
    transaction_audit mart read it, not the lines. (Storing a row per line
    cost 70% of the build at 100M lines.) The rules are the macros of
    macros/cleaning/exclusion_rules.sql, applied once per distinct line; the
    view int_transactions__checked applies them to each raw line. -#}
{{ config(post_hook="{{ assert_lines_usable() }}") }}

{%- set line_columns = [
    'invoice_id', 'product_id', 'customer_id', 'description', 'country',
    'quantity', 'unit_price', 'invoiced_at'
] -%}

with

-- read three times below (a file scan each) rather than stored: storing
-- every raw line cost more than reading it again (34 s against 97 s at 100M)
lines as {{ inline_cte() }} (

    select * from {{ ref('stg_transactions__lines') }}

),

hashed_lines as {{ inline_cte() }} (

    select
        invoice_id,
        product_id,
        customer_id,
        description,
        country,
        quantity,
        unit_price,
        invoiced_at,
        {{ line_hash(line_columns) }} as line_hash
    from lines

),

repeated_hashes as (

    -- exact copies of a line have the same hash: only the lines whose hash
    -- is repeated can have a copy. A small table, where grouping every line
    -- by all its values would hold every line in memory. Lines without a
    -- customer are left out: every copy of one is missing_customer (or an
    -- earlier reason), so they count the same as single lines.
    select line_hash
    from hashed_lines
    where customer_id is not null
    group by 1
    having count(*) > 1

),

copied_lines as (

    -- exact copies (same values once parsed, in one file or several)
    -- collapse into one row; comparing the values, not the hash, keeps two
    -- different lines with the same hash apart
    select
        hashed_lines.invoice_id,
        hashed_lines.product_id,
        hashed_lines.customer_id,
        hashed_lines.description,
        hashed_lines.country,
        hashed_lines.quantity,
        hashed_lines.unit_price,
        hashed_lines.invoiced_at,
        count(*) as copy_count
    from hashed_lines
    inner join repeated_hashes
        on hashed_lines.line_hash = repeated_hashes.line_hash
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

single_lines as (

    select
        hashed_lines.invoice_id,
        hashed_lines.product_id,
        hashed_lines.customer_id,
        hashed_lines.description,
        hashed_lines.country,
        hashed_lines.quantity,
        hashed_lines.unit_price,
        hashed_lines.invoiced_at,
        1 as copy_count
    from hashed_lines
    left join repeated_hashes
        on hashed_lines.line_hash = repeated_hashes.line_hash
    where repeated_hashes.line_hash is null

),

distinct_lines as (

    select * from copied_lines
    union all
    select * from single_lines

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
