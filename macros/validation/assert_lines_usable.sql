{# Post-hook of int_transactions__audited. Every line is already in the audit;
   this stops the build, with one message that names the problem, when what
   the audit shows means the input itself is wrong:
   - more lines with an unreadable date or number than var
     max_unparseable_share allows (default: none). The message names the
     file, the column and an example value as written;
   - a var countries filter that matches no line of the file. #}
{% macro assert_lines_usable() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set checks = [
        ('unparseable_date', 'invoiced_at_raw', 'an invoice date', 'transaction_columns.invoiced_at'),
        ('unparseable_number', "coalesce(case when quantity is null then 'quantity ' || coalesce(quantity_raw, '(empty)') end, 'unit_price ' || coalesce(unit_price_raw, '(empty)'))", 'a quantity or unit price', 'transaction_columns'),
    ] -%}
    {%- set total = run_query("select count(*) from " ~ this).columns[0].values()[0] -%}
    {%- for reason, example, what, column_var in checks -%}
        {%- set found = run_query(
            "select count(*), min(source_file), min(" ~ example ~ ") from " ~ this
            ~ " where exclusion_reason = '" ~ reason ~ "'") -%}
        {%- set bad = found.columns[0].values()[0] -%}
        {%- if bad > 0 and bad / total > var('max_unparseable_share') -%}
            {{ exceptions.raise_compiler_error(
                bad ~ " of " ~ total ~ " lines in " ~ found.columns[1].values()[0]
                ~ " have " ~ what ~ " that cannot be read, e.g. "
                ~ tojson(found.columns[2].values()[0] | string)
                ~ ". Fix the file, map the right column (var " ~ column_var
                ~ "), add the date format to var date_formats, or raise var "
                ~ "max_unparseable_share to exclude such lines as '" ~ reason
                ~ "' in transaction_audit and go on.") }}
        {%- endif -%}
    {%- endfor -%}

    {%- if var('countries') -%}
        {%- set matched = run_query(
            "select count(*) from " ~ this ~ " where lower(country) in ("
            ~ sql_string_list(var('countries') | map('lower')) ~ ")").columns[0].values()[0] -%}
        {%- if matched == 0 -%}
            {%- set present = run_query(
                "select country from " ~ this ~ " where country is not null"
                ~ " group by 1 order by count(*) desc limit 10").columns[0].values() -%}
            {{ exceptions.raise_compiler_error(
                "var countries " ~ tojson(var('countries')) ~ " matches no line of "
                ~ var('transactions_path') ~ ". Its most common countries: "
                ~ present | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
