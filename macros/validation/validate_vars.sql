{# Checks every var before any model runs (on-run-start), so that a bad value
   stops the run at once with one sentence that names the var, the value and
   what is expected. Each var's type and bounds come from var_schema(); the
   checks below it involve another var, a list of known names or a query.
   This is the only gate: the models, SQL and Python, use the values as they
   are. Values that reach SQL are also quoted where they are used
   (sql_string) or limited to known names here (features, columns). #}
{% macro validate_vars() %}
    {%- set errors = [] -%}
    {%- set bad = [] -%}
    {%- for name, spec in var_schema().items() -%}
        {%- set problem = var_type_problem(name, spec) -%}
        {%- if problem -%}
            {%- do errors.append(problem) -%}
            {%- do bad.append(name) -%}
        {%- endif -%}
    {%- endfor -%}

    {#- input -#}
    {%- if 'transaction_columns' not in bad -%}
        {%- do errors.extend(transaction_columns_problems(var('transaction_columns'))) -%}
    {%- endif -%}
    {%- if 'as_of_date' not in bad and as_of_date_literal() is not none
        and execute -%}
        {%- set parsed = run_query("select try_cast(" ~ sql_string(var('as_of_date'))
            ~ " as date)").columns[0].values()[0] -%}
        {%- if parsed is none -%}
            {%- do errors.append("var as_of_date must be a date written YYYY-MM-DD, "
                ~ "or null, got " ~ tojson(var('as_of_date') | string)) -%}
        {%- endif -%}
    {%- endif -%}

    {#- features -#}
    {%- set known = customer_feature_names() -%}
    {%- set features = var('segment_features') -%}
    {%- if 'segment_features' not in bad -%}
        {%- if features | length == 0 -%}
            {%- do errors.append("var segment_features is empty; choose from: "
                ~ known | join(', ')) -%}
        {%- endif -%}
        {%- if features | unique | list | length != features | length -%}
            {%- do errors.append("var segment_features lists a feature twice: "
                ~ tojson(features)) -%}
        {%- endif -%}
    {%- endif -%}
    {%- for list_var in ['segment_features', 'lower_is_better_features']
        if list_var not in bad -%}
        {%- for feature in var(list_var) if feature not in known -%}
            {%- do errors.append("var " ~ list_var ~ " names an unknown feature "
                ~ tojson(feature) ~ "; choose from: " ~ known | join(', ')) -%}
        {%- endfor -%}
        {%- if var('count_distinct_products') is sameas false
            and 'distinct_products' in var(list_var) -%}
            {%- do errors.append("var " ~ list_var ~ " uses distinct_products, "
                ~ "which is only counted with var count_distinct_products: true") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set caps = var('feature_cap_quantiles') -%}
    {%- if 'feature_cap_quantiles' not in bad and caps[0] >= caps[1] -%}
        {%- do errors.append("var feature_cap_quantiles must be [lower, upper] with "
            ~ "lower < upper, got " ~ tojson(caps)) -%}
    {%- endif -%}

    {#- clustering -#}
    {%- set k_range = var('k_range') -%}
    {%- if 'k_range' not in bad and k_range[0] > k_range[1] -%}
        {%- do errors.append("var k_range is upside down: " ~ tojson(k_range)
            ~ "; write [lowest, highest]") -%}
    {%- endif -%}

    {#- segments over time -#}
    {%- if 'lifecycle_at_risk_days' not in bad and 'lifecycle_churned_days' not in bad
        and var('lifecycle_at_risk_days') >= var('lifecycle_churned_days') -%}
        {%- do errors.append("var lifecycle_churned_days ("
            ~ var('lifecycle_churned_days') ~ ") must be more than var "
            ~ "lifecycle_at_risk_days (" ~ var('lifecycle_at_risk_days') ~ ")") -%}
    {%- endif -%}

    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "Invalid configuration:\n  - " ~ errors | join("\n  - ")) }}
    {%- endif -%}
    select 1
{% endmacro %}
