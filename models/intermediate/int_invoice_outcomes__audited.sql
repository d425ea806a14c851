{#- The audit of every raw line, summed per invoice: one row per invoice,
    customer, country and outcome (kept, or the exclusion reason), with the
    number of lines, their value and units. This is the only model that
    reads every line and is stored: the customer features and the
    transaction_audit mart read it, not the lines: storing a row per line
    was most of the build at scale (docs/decisions.md). The rules are the
    macros of
    macros/cleaning/; the view int_lines__checked
    applies the same macros to each raw line. -#}
{{ config(post_hook="{{ assert_lines_usable() }}") }}

{#- The columns hashed to find lines that may be copies. Copies share their
    invoice, so invoice, product, quantity, price and time tell lines apart;
    customer_id, country and description are left out, which saves turning
    the customer id into text and hashing two more strings for every line.
    A hash that leaves columns out only makes more candidates: line_groups
    compares every value, all columns included. -#}
{%- set hashed_columns = [
    'invoice_id', 'product_id', 'quantity', 'unit_price', 'invoiced_at'
] -%}

with

-- read twice below (a file scan each) rather than stored: storing every raw
-- line cost more than reading it again
lines as {{ inline_cte() }} (

    select * from {{ ref('stg_transactions__lines') }}

),

repeated_hashes as (

    -- exact copies of a line have the same hash, so only the lines whose
    -- hash is repeated can have a copy: 900k of 100M generated lines. A
    -- group by of every line on all its values would hold every line in
    -- memory. Lines without a customer are left out: every copy of one is
    -- missing_customer (or an earlier reason), as a single line would be.
    select {{ line_hash(hashed_columns) }} as line_hash
    from lines
    where customer_id is not null
    group by 1
    having count(*) > 1

),

checked_lines as (

    select
        *,
        {{ line_hash(hashed_columns) }} as line_hash,
        {{ exclusion_reason_before_copies() }} as exclusion_reason_before_copies,
        {{ exclusion_reason_after_copies() }} as exclusion_reason_after_copies
    from lines

),

flagged_lines as (

    select
        checked_lines.*,
        repeated_hashes.line_hash is not null as may_have_copies
    from checked_lines
    left join repeated_hashes
        on checked_lines.line_hash = repeated_hashes.line_hash

),

line_groups as (

    -- a line that may have copies is grouped on all its values, so that its
    -- exact copies (in one file or several) are one row; comparing the
    -- values, not the hash, keeps two lines with the same hash apart. The
    -- other lines are summed per invoice, customer, country and reasons.
    select
        invoice_id,
        customer_id,
        country,
        exclusion_reason_before_copies,
        exclusion_reason_after_copies,
        may_have_copies,
        case when may_have_copies then product_id end as copy_product_id,
        case when may_have_copies then description end as copy_description,
        case when may_have_copies then quantity end as copy_quantity,
        case when may_have_copies then unit_price end as copy_unit_price,
        case when may_have_copies then invoiced_at end as copy_invoiced_at,
        count(*) as line_count,
        sum(quantity * unit_price) as line_value,
        sum(quantity) as units,
        min(invoiced_at) as first_invoiced_at,
        max(invoiced_at) as last_invoiced_at
    from flagged_lines
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11

),

line_outcomes as (

    -- a reason that ranks before 'duplicate' holds for every copy; otherwise
    -- the first copy gets its outcome (kept, future_date, ...) and the other
    -- copies are duplicates
    select
        invoice_id,
        customer_id,
        country,
        first_invoiced_at,
        last_invoiced_at,
        line_count,
        line_value,
        units,
        coalesce(
            exclusion_reason_before_copies,
            exclusion_reason_after_copies,
            'kept'
        ) as first_copy_outcome,
        coalesce(
            may_have_copies and exclusion_reason_before_copies is null, false
        ) as has_duplicates,
        -- one copy of the line (all copies have the same values)
        copy_quantity,
        copy_quantity * copy_unit_price as copy_value,
        -- a cancellation that passes the rules a purchase must pass counts
        -- in returned_orders and returned_value, once per distinct line
        coalesce(
            exclusion_reason_before_copies = 'cancellation'
            and exclusion_reason_after_copies is null,
            false
        ) as is_counted_return,
        may_have_copies
    from line_groups

),

per_invoice as (

    select
        invoice_id,
        customer_id,
        country,
        first_copy_outcome,
        min(first_invoiced_at) as first_invoiced_at,
        max(last_invoiced_at) as last_invoiced_at,
        sum(case when has_duplicates then 1 else line_count end)
            as first_copy_line_count,
        sum(case when has_duplicates then copy_value else line_value end)
            as first_copy_value,
        sum(case when has_duplicates then copy_quantity else units end)
            as first_copy_units,
        sum(case when has_duplicates then line_count - 1 else 0 end)
            as duplicate_line_count,
        sum(case when has_duplicates then (line_count - 1) * copy_value else 0 end)
            as duplicate_value,
        sum(case when has_duplicates then (line_count - 1) * copy_quantity else 0 end)
            as duplicate_units,
        sum(
            case
                when not is_counted_return then 0
                when may_have_copies then 1
                else line_count
            end
        ) as returned_line_count,
        sum(
            case
                when not is_counted_return then 0
                when may_have_copies then -copy_value
                else -line_value
            end
        ) as returned_value
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
