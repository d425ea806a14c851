-- At the current as-of date the history is customer_segments, row for row:
-- the same customers, segments and features (one code path for both). Any
-- row here is in one and not in the other.
{%- set columns = [
    'customer_id', 'as_of_date', 'segment_id', 'segment_name', 'country',
    'first_order_date', 'last_order_date', 'recency_days', 'frequency',
    'monetary', 'avg_order_value', 'gross_monetary', 'tenure_days', 'units',
    'distinct_products', 'returned_orders', 'returned_value', 'is_capped',
    'distance_to_centroid',
] %}

with

history as (

    select * from {{ ref('customer_segment_history') }}

),

last_date as (

    select max(as_of_date) as as_of_date
    from history

),

current_date_rows as (

    select
        {%- for column in columns %}
        history.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from history
    inner join last_date
        on history.as_of_date = last_date.as_of_date

),

current_segments as (

    select {{ columns | join(', ') }}
    from {{ ref('customer_segments') }}

),

only_in_history as (

    select * from current_date_rows
    except
    select * from current_segments

),

only_in_segments as (

    select * from current_segments
    except
    select * from current_date_rows

)

select
    'only in customer_segment_history' as found,
    *
from only_in_history

union all

select
    'only in customer_segments' as found,
    *
from only_in_segments
