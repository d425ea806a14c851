{# Checks every var before any model runs (on-run-start), so that a bad value
   stops the run at once with one sentence that names the var, the value and
   what is expected. Values that reach SQL are also quoted where they are
   used (sql_string) or limited to known names here (features). #}
{% macro validate_vars() %}
    {%- set errors = [] -%}

    {#- input -#}
    {%- if var('transactions_path') is not string or var('transactions_path') | trim == '' -%}
        {%- do errors.append("var transactions_path must be a file path or glob, got "
            ~ tojson(var('transactions_path'))) -%}
    {%- endif -%}
    {%- if var('transaction_columns') is not mapping -%}
        {%- do errors.append("var transaction_columns must map canonical names to the "
            ~ "file's columns, e.g. {invoice_id: OrderID}, got "
            ~ tojson(var('transaction_columns'))) -%}
    {%- endif -%}
    {%- do errors.append(var_list_problem('date_formats')) -%}
    {%- do errors.append(var_list_problem('countries')) -%}
    {%- do errors.append(var_list_problem('excluded_stock_codes')) -%}
    {%- set as_of = as_of_date_literal() -%}
    {%- if as_of is not none and execute -%}
        {%- set parsed = run_query("select try_cast(" ~ sql_string(var('as_of_date'))
            ~ " as date)").columns[0].values()[0] -%}
        {%- if parsed is none -%}
            {%- do errors.append("var as_of_date must be a date written YYYY-MM-DD, got "
                ~ tojson(var('as_of_date') | string)) -%}
        {%- endif -%}
    {%- endif -%}

    {#- features -#}
    {%- set known = customer_feature_names() -%}
    {%- do errors.append(var_list_problem('segment_features')) -%}
    {%- do errors.append(var_list_problem('lower_is_better_features')) -%}
    {%- set features = var('segment_features') -%}
    {%- if features is not string and features is iterable -%}
        {%- if features | length == 0 -%}
            {%- do errors.append("var segment_features is empty; choose from: "
                ~ known | join(', ')) -%}
        {%- endif -%}
        {%- for feature in features if feature not in known -%}
            {%- do errors.append("var segment_features names an unknown feature "
                ~ tojson(feature) ~ "; choose from: " ~ known | join(', ')) -%}
        {%- endfor -%}
        {%- if features | unique | list | length != features | length -%}
            {%- do errors.append("var segment_features lists a feature twice: "
                ~ tojson(features)) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if var('count_distinct_products') not in (true, false) -%}
        {%- do errors.append("var count_distinct_products must be true or false, got "
            ~ tojson(var('count_distinct_products'))) -%}
    {%- elif not var('count_distinct_products') -%}
        {%- for list_var in ['segment_features', 'lower_is_better_features'] -%}
            {%- set listed = var(list_var) -%}
            {%- if listed is not string and listed is iterable and 'distinct_products' in listed -%}
                {%- do errors.append("var " ~ list_var ~ " uses distinct_products, "
                    ~ "which is only counted with var count_distinct_products: true") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if var('monetary_basis') not in ('net', 'gross') -%}
        {%- do errors.append("var monetary_basis must be net or gross, got "
            ~ tojson(var('monetary_basis'))) -%}
    {%- endif -%}
    {%- set caps = var('feature_cap_quantiles') -%}
    {%- if caps is string or caps is not iterable or caps | length != 2
        or caps[0] is not number or caps[1] is not number
        or not (0 <= caps[0] < caps[1] <= 1) -%}
        {%- do errors.append("var feature_cap_quantiles must be [lower, upper] with "
            ~ "0 <= lower < upper <= 1, got " ~ tojson(caps)) -%}
    {%- endif -%}

    {#- clustering -#}
    {%- set n_segments = var('n_segments') -%}
    {%- if not (n_segments | string | lower == 'auto'
        or (n_segments is number and (n_segments | int) == n_segments and n_segments >= 1)) -%}
        {%- do errors.append("var n_segments must be auto or a whole number of at "
            ~ "least 1, got " ~ tojson(n_segments)) -%}
    {%- endif -%}
    {%- set k_range = var('k_range') -%}
    {%- if k_range is string or k_range is not iterable or k_range | length != 2
        or k_range[0] is not number or k_range[1] is not number
        or k_range[0] < 2 or (k_range[0] | int) != k_range[0]
        or (k_range[1] | int) != k_range[1] -%}
        {%- do errors.append("var k_range must be [lowest, highest], two whole numbers "
            ~ "of at least 2, got " ~ tojson(k_range)) -%}
    {%- elif k_range[0] > k_range[1] -%}
        {%- do errors.append("var k_range is upside down: " ~ tojson(k_range)
            ~ "; write [lowest, highest]") -%}
    {%- endif -%}
    {%- do errors.append(var_fraction_problem('min_segment_share', 0, 0.99)) -%}
    {%- do errors.append(var_fraction_problem('min_stability_ari', 0, 1)) -%}
    {%- do errors.append(var_fraction_problem('max_unparseable_share', 0, 1)) -%}
    {%- do errors.append(var_whole_number_problem('random_state', 0)) -%}
    {%- do errors.append(var_whole_number_problem('n_init', 1)) -%}
    {%- do errors.append(var_whole_number_problem('fit_sample_size', 100)) -%}
    {%- do errors.append(var_whole_number_problem('silhouette_sample_size', 100)) -%}
    {%- do errors.append(var_whole_number_problem('stability_resamples', 0)) -%}
    {%- do errors.append(var_fraction_problem('segment_match_tolerance', 0, 1)) -%}
    {%- do errors.append(var_fraction_problem('max_name_fit', 0, 1)) -%}
    {%- if var('naming_scheme') not in ('rfm', 'action') -%}
        {%- do errors.append("var naming_scheme must be rfm or action, got "
            ~ tojson(var('naming_scheme'))) -%}
    {%- endif -%}
    {%- do errors.append(var_whole_number_problem('top_n_customers', 1)) -%}
    {%- do errors.append(var_whole_number_problem('lapsed_after_days', 0)) -%}
    {%- if var('export_parquet') not in (true, false) -%}
        {%- do errors.append("var export_parquet must be true or false, got "
            ~ tojson(var('export_parquet'))) -%}
    {%- endif -%}

    {%- set errors = errors | select | list -%}
    {%- if errors -%}
        {{ exceptions.raise_compiler_error(
            "Invalid configuration:\n  - " ~ errors | join("\n  - ")) }}
    {%- endif -%}
    select 1
{% endmacro %}
