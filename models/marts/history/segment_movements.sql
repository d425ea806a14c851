{#- One row per pair of consecutive as-of dates and move between two
    different segments (segment_migration without the customers who stayed
    and the new ones), ranked within the pair by the customers who moved
    and said in plain words, e.g. "312 customers moved from Loyal Customers
    to At Risk between 2011-11-01 and 2011-12-01". -#}

with

migration as (

    select * from {{ ref('segment_migration') }}

),

moves as (

    select * from migration
    where
        from_segment_id is not null
        and from_segment_id != to_segment_id

),

ranked as (

    select
        from_as_of_date,
        to_as_of_date,
        -- ties go to the move with more revenue, then to the lower ids, so
        -- the rank is the same on every run and engine
        row_number() over (
            partition by to_as_of_date
            order by
                customers desc,
                revenue desc,
                from_segment_id asc,
                to_segment_id asc
        ) as movement_rank,
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name,
        customers,
        share_of_from,
        revenue
    from moves

),

segment_movements as (

    select
        from_as_of_date,
        to_as_of_date,
        cast(movement_rank as {{ dbt.type_bigint() }}) as movement_rank,
        from_segment_id,
        from_segment_name,
        to_segment_id,
        to_segment_name,
        -- the segment names are labels (Champions, At Risk, RE-ENGAGE), so
        -- the sentence names the customers and quotes no name as a noun
        {{ dbt.concat([
            format_whole_number('customers'),
            "case when customers = 1 then ' customer moved from '"
            ~ " else ' customers moved from ' end",
            'from_segment_name',
            "' to '",
            'to_segment_name',
            "' between '",
            'cast(from_as_of_date as ' ~ dbt.type_string() ~ ')',
            "' and '",
            'cast(to_as_of_date as ' ~ dbt.type_string() ~ ')',
        ]) }} as movement_description,
        customers,
        share_of_from,
        revenue
    from ranked

)

select * from segment_movements
order by to_as_of_date, movement_rank
