{#- Every raw line with the first exclusion reason that its own values give
    it, in the precedence of seed exclusion_reasons: every reason except
    'duplicate', which depends on the other lines and is decided in
    int_invoice_outcomes__audited. A view: it is the line-level audit to query
    ("why was this line excluded?") and costs nothing until it is read. -#}
{{ config(materialized='view') }}

with

lines as (

    select * from {{ ref('stg_transactions__lines') }}

),

checked as (

    select
        *,
        {{ is_cancellation_invoice('invoice_id') }} as is_cancellation,
        {{ exclusion_reason_before_copies() }} as exclusion_reason_before_copies,
        {{ exclusion_reason_after_copies() }} as exclusion_reason_after_copies
    from lines

),

final as (

    select
        *,
        coalesce(exclusion_reason_before_copies, exclusion_reason_after_copies)
            as exclusion_reason_if_unique
    from checked

)

select * from final
