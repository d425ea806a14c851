{#- One row per fit of the customer-value models: BG/NBD and MBG/NBD at the
    as-of date (`full`) and at the holdout start (`calibration`, judged in
    value_model_validation), and Gamma-Gamma at the as-of date, with the
    parameters named as in the papers (time in days), the log-likelihood,
    the customers fitted and, for Gamma-Gamma, the correlation of repeat
    purchase days and their mean value it assumes away. -#}
{%- set purchase_model = var('purchase_model') -%}

with

fits as (

    select * from {{ ref('int_value__fits') }}

),

value_inputs as (

    select * from {{ ref('int_customers__value_inputs') }}

),

periods as (

    select distinct
        as_of_date,
        holdout_start_date
    from value_inputs

),

value_model as (

    select
        fits.purchase_model,
        fits.fit_period,
        case
            when fits.fit_period = 'calibration'
                then periods.holdout_start_date
            else periods.as_of_date
        end as fit_end_date,
        fits.purchase_model in ({{ sql_string(purchase_model) }}, 'gamma_gamma')
        and fits.fit_period = 'full' as is_used_for_scoring,
        fits.customers,
        fits.r,
        fits.alpha,
        fits.a,
        fits.b,
        -- the mean probability of dropping out after a purchase: near 0,
        -- the model sees no silent churn (docs/value.md)
        fits.a / (fits.a + fits.b) as mean_dropout_probability,
        fits.p,
        fits.q,
        fits.gamma,
        fits.log_likelihood,
        fits.converged,
        fits.parameters_at_bound,
        fits.spend_frequency_correlation
    from fits
    cross join periods

)

select * from value_model
