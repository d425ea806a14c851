-- Every raw line has exactly one outcome: the audit's line counts add up to
-- the number of lines of the staging view, counted here independently, and
-- each row's raw_line_count is that number. Returns a row when they differ.

with

audit as (

    select * from {{ ref('transaction_audit') }}

),

raw_lines as (

    select * from {{ ref('stg_transactions__lines') }}

),

raw_count as (

    select count(*) as raw_line_count from raw_lines

),

audit_totals as (

    select
        sum(line_count) as audited_line_count,
        min(raw_line_count) as min_reported_count,
        max(raw_line_count) as max_reported_count
    from audit

),

failures as (

    select
        raw_count.raw_line_count,
        audit_totals.audited_line_count,
        audit_totals.min_reported_count,
        audit_totals.max_reported_count
    from raw_count
    cross join audit_totals
    where
        audit_totals.audited_line_count != raw_count.raw_line_count
        or audit_totals.min_reported_count != raw_count.raw_line_count
        or audit_totals.max_reported_count != raw_count.raw_line_count

)

select * from failures
