{#- The file's own column names are mapped to canonical names by var
    transaction_columns. The file itself is checked before any model runs
    (on-run-start, check_transactions_input: missing, empty or header-only
    file, a line that does not fit the header or is not UTF-8, a required
    column missing), so compiling this model reads no data: dbt compile
    shows every mapped column as text, as for a CSV file, while a run uses
    the file's own columns and types (Parquet). An absent optional column
    becomes null. -#}
{%- set columns = resolve_transaction_columns() -%}
{%- set null_text = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- set raw = {} -%}
{%- set types = {} -%}
{%- for name, column in columns.items() -%}
    {%- do raw.update({name: column.column if column else null_text}) -%}
    {%- do types.update({name: column.type if column else 'VARCHAR'}) -%}
{%- endfor -%}

with

source as (

    select
        *,
        {{ source_file_column() }} as source_file
    from {{ transactions_source() }}

),

renamed as (

    select
        ----------  ids
        {{ trimmed_text(raw.invoice_id) }} as invoice_id,
        {{ trimmed_text(raw.product_id, few_values=true) }} as product_id,
        {{ normalise_customer_id(raw.customer_id, types.customer_id) }}
            as customer_id,

        ----------  strings
        {{ trimmed_text(raw.description, few_values=true) }} as description,
        {{ trimmed_text(raw.country, few_values=true) }} as country,
        source_file,

        ----------  numerics
        {{ parse_number(raw.quantity, types.quantity) }} as quantity,
        {{ parse_number(raw.unit_price, types.unit_price) }} as unit_price,

        ----------  timestamps
        {{ parse_timestamp(raw.invoiced_at, types.invoiced_at) }} as invoiced_at,

        ----------  the parsed values as written, for the audit
        -- (text columns only: a typed Parquet value always parses, and
        -- casting it back to text would cost a pass over every line)
        {%- for name in ['quantity', 'unit_price', 'invoiced_at'] %}
        {% if types[name] in ('VARCHAR', 'TEXT') -%}
            {{ trimmed_text(raw[name]) }}
        {%- else -%}
            {{ null_text }}
        {%- endif %} as {{ name }}_raw{{ "," if not loop.last }}
        {%- endfor %}

    from source

)

select * from renamed
