-- customer_lifecycle has every customer of customer_segments and no other
-- (its joins are inner: a customer missing from the lifecycle history
-- would silently drop). Any row here is a customer on one side only.

with

lifecycle as (

    select customer_id from {{ ref('customer_lifecycle') }}

),

segments as (

    select customer_id from {{ ref('customer_segments') }}

),

only_in_lifecycle as (

    select customer_id from lifecycle
    except
    select customer_id from segments

),

only_in_segments as (

    select customer_id from segments
    except
    select customer_id from lifecycle

)

select
    'only in customer_lifecycle' as found,
    customer_id
from only_in_lifecycle

union all

select
    'only in customer_segments' as found,
    customer_id
from only_in_segments
