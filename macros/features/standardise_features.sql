{# The CTEs that put customers into the space K-Means works in: each
   clustering feature (var segment_features) capped, log-transformed and
   standardised with the parameters of int_features__scaling. One code path
   for int_customers__standardised and int_customer_history__standardised.
   The caller's import CTEs: `customers` (features, with the columns in
   `keys`) and `scaling` (int_features__scaling). The last CTE is
   `standardised`: the keys, `<feature>_scaled` per feature and is_capped. #}
{% macro standardise_features(keys) -%}
{%- set features = var('segment_features') -%}

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
        {%- for key in keys %}
        customers.{{ key }},
        {%- endfor %}
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
{%- endmacro %}
