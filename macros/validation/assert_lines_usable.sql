{# Post-hook of int_invoice_outcomes__audited. Every line is already in the audit;
   this stops the build, with one message that names the problem, when what
   the audit shows means the input itself is wrong:
   - more lines with an unreadable date or number than var
     max_unparseable_share allows (default: none). The message names the
     file, the column, the invoice and the value as written;
   - a var countries filter that matches no line of the file;
   - no line kept at all (nothing to segment): the message counts the lines
     per exclusion reason. #}
{% macro assert_lines_usable() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set checks = [
        ('unparseable_date', "'invoice date (column ' || " ~ sql_string(transaction_column_name('invoiced_at')) ~ " || ') ' || coalesce('\"' || invoiced_at_raw || '\"', 'empty')", 'an invoice date', 'add its format to var date_formats'),
        ('unparseable_number', "case when quantity is null then 'quantity (column ' || " ~ sql_string(transaction_column_name('quantity')) ~ " || ') ' || coalesce('\"' || quantity_raw || '\"', 'empty') else 'unit price (column ' || " ~ sql_string(transaction_column_name('unit_price')) ~ " || ') ' || coalesce('\"' || unit_price_raw || '\"', 'empty') end", 'a quantity or unit price', 'write numbers as 1234.5 or 1,234.5'),
    ] -%}
    {%- set counts = {} -%}
    {%- set outcomes = run_query(
        "select outcome, sum(line_count) as lines from " ~ this
        ~ " group by 1 order by 2 desc, 1") -%}
    {%- for row in outcomes.rows -%}
        {%- do counts.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set total = counts.values() | sum -%}
    {%- for reason, example, what, fix in checks -%}
        {%- set bad = counts.get(reason, 0) -%}
        {%- if bad > 0 and bad / total > var('max_unparseable_share') -%}
            {#- an example line, from the raw lines (read only when the build
                is about to stop) -#}
            {%- set found = run_query(
                "select source_file, invoice_id, " ~ example
                ~ " from " ~ ref('stg_transactions__lines')
                ~ " where " ~ exclusion_reason_before_copies() ~ " = '" ~ reason ~ "'"
                ~ " order by source_file, invoice_id, 3 limit 1") -%}
            {{ exceptions.raise_compiler_error(
                bad ~ " of " ~ total ~ " lines have " ~ what
                ~ " that cannot be read, e.g. in " ~ found.rows[0][0]
                ~ ", invoice " ~ (found.rows[0][1] or '(none)') ~ ": "
                ~ found.rows[0][2] ~ ". Fix the file, map the right column "
                ~ "(var transaction_columns), " ~ fix ~ ", or raise var "
                ~ "max_unparseable_share (now " ~ var('max_unparseable_share')
                ~ ") to exclude such lines as '" ~ reason
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
                ~ " group by 1 order by sum(line_count) desc, 1 limit 10").columns[0].values() -%}
            {{ exceptions.raise_compiler_error(
                "var countries " ~ tojson(var('countries')) ~ " matches no line of "
                ~ var('transactions_path') ~ ". Its most common countries: "
                ~ present | join(', ')) }}
        {%- endif -%}
    {%- endif -%}

    {%- if 'kept' not in counts -%}
        {%- set parts = [] -%}
        {%- for row in outcomes.rows -%}
            {%- do parts.append(row[1] ~ " " ~ row[0]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "No line of " ~ var('transactions_path') ~ " is kept, so there is no "
            ~ "customer to segment. Of its " ~ total ~ " lines: " ~ parts | join(', ')
            ~ " (see seeds/exclusion_reasons.csv). Check var transaction_columns, "
            ~ "as_of_date, countries and excluded_stock_codes.") }}
    {%- endif -%}
    select 1
{% endmacro %}
