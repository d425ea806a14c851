{#- One row per customer: each clustering feature capped, log-transformed and
    standardised with the parameters in int_features__scaling. This is the
    space K-Means works in. -#}
{%- set features = var('segment_features') -%}

with

customers as (

    select * from {{ ref('int_customers__features') }}

),

scaling as (

    select * from {{ ref('int_features__scaling') }}

),

parameters as (

    -- the scaling rows side by side, one column per feature and parameter
    select
        {%- for feature in features %}
        {%- set is_feature = "feature_name = " ~ sql_string(feature) %}
        max(case when {{ is_feature }} then lower_cap end)
            as {{ feature }}__lower_cap,
        max(case when {{ is_feature }} then upper_cap end)
            as {{ feature }}__upper_cap,
        max(case when {{ is_feature }} then log_mean end)
            as {{ feature }}__log_mean,
        max(case when {{ is_feature }} then log_std end)
            as {{ feature }}__log_std
        {{- "," if not loop.last }}
        {%- endfor %}
    from scaling

),

standardised as (

    select
        customers.customer_id,
        {%- for feature in features %}
        -- a feature with no spread carries no information: 0 for everyone
        coalesce(
            (
                {{ capped_log(
                    'customers.' ~ feature,
                    'parameters.' ~ feature ~ '__lower_cap',
                    'parameters.' ~ feature ~ '__upper_cap',
                ) }}
                - parameters.{{ feature }}__log_mean
            ) / nullif(parameters.{{ feature }}__log_std, 0),
            0
        ) as {{ feature }}_scaled,
        {%- endfor %}
        (
            {%- for feature in features %}
            customers.{{ feature }} < parameters.{{ feature }}__lower_cap
            or customers.{{ feature }} > parameters.{{ feature }}__upper_cap
            {{- " or" if not loop.last }}
            {%- endfor %}
        ) as is_capped
    from customers
    cross join parameters

)

select * from standardised
