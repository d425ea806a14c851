{#- One row per clustering feature (var segment_features): the caps and the
    mean and standard deviation of the capped log values. These parameters
    turn any customer's features into the space the centroids live in, so a
    new customer can be scored without refitting. -#}
{%- set features = var('segment_features') -%}
{%- set lower_quantile = var('feature_cap_quantiles')[0] -%}
{%- set upper_quantile = var('feature_cap_quantiles')[1] -%}

with

customers as (

    select * from {{ ref('int_customers__features') }}

),

caps as (

    select
        {%- for feature in features %}
        {{ quantile(feature, lower_quantile) }} as {{ feature }}__lower_cap,
        {{ quantile(feature, upper_quantile) }} as {{ feature }}__upper_cap
        {{- "," if not loop.last }}
        {%- endfor %}
    from customers

),

logged as (

    select
        {%- for feature in features %}
        {{ capped_log(
            'customers.' ~ feature,
            'caps.' ~ feature ~ '__lower_cap',
            'caps.' ~ feature ~ '__upper_cap',
        ) }} as {{ feature }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from customers
    cross join caps

),

moments as (

    select
        {%- for feature in features %}
        -- rounded: parallel float sums differ in the last bits between runs
        round(avg({{ feature }}), 10) as {{ feature }}__log_mean,
        round(stddev_pop({{ feature }}), 10) as {{ feature }}__log_std
        {{- "," if not loop.last }}
        {%- endfor %}
    from logged

),

scaling as (

    {%- for feature in features %}
    select
        {{ sql_string(feature) }} as feature_name,
        {{ loop.index }} as feature_position,
        cast({{ lower_quantile }} as {{ type_double() }}) as lower_cap_quantile,
        cast({{ upper_quantile }} as {{ type_double() }}) as upper_cap_quantile,
        caps.{{ feature }}__lower_cap as lower_cap,
        caps.{{ feature }}__upper_cap as upper_cap,
        moments.{{ feature }}__log_mean as log_mean,
        moments.{{ feature }}__log_std as log_std
    from caps
    cross join moments
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}

)

select * from scaling
