-- Seed exclusion_reasons describes the cleaning outcomes for the audit mart;
-- the rules themselves check them in the order of macro exclusion_outcomes()
-- (authoritative). Returns a row for every outcome the seed lacks, lists
-- extra, or ranks otherwise, so editing the seed's precedence cannot make
-- the audit describe an order the rules do not follow.

with

seed_outcomes as (

    select * from {{ ref('exclusion_reasons') }}

),

rule_outcomes as (

    {%- for outcome in exclusion_outcomes() %}
    select
        {{ sql_string(outcome) }} as outcome,
        {{ loop.index }} as precedence
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

disagreements as (

    select
        coalesce(rule_outcomes.outcome, seed_outcomes.outcome) as outcome,
        rule_outcomes.precedence as rule_precedence,
        seed_outcomes.precedence as seed_precedence
    from rule_outcomes
    full outer join seed_outcomes
        on rule_outcomes.outcome = seed_outcomes.outcome
    where
        rule_outcomes.outcome is null
        or seed_outcomes.outcome is null
        or rule_outcomes.precedence != seed_outcomes.precedence

)

select * from disagreements
