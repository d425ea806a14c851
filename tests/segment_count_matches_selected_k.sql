-- The segmentation has as many segments as the selected k of
-- cluster_diagnostics, in the centroids and in the profiles, and
-- segment_feature_stats has one row per segment and clustering feature.
-- Returns a row when any count differs.

with

diagnostics as (

    select * from {{ ref('cluster_diagnostics') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

profiles as (

    select * from {{ ref('segment_profiles') }}

),

feature_stats as (

    select * from {{ ref('segment_feature_stats') }}

),

scaling as (

    select * from {{ ref('int_features__scaling') }}

),

selected as (

    select max(k) as selected_k
    from diagnostics
    where is_selected

),

centroid_count as (

    select count(*) as centroid_count from centroids

),

profile_count as (

    select count(*) as profile_count from profiles

),

feature_stat_count as (

    select count(*) as feature_stat_count from feature_stats

),

feature_count as (

    select count(*) as feature_count from scaling

),

counts as (

    select
        selected.selected_k,
        centroid_count.centroid_count,
        profile_count.profile_count,
        feature_stat_count.feature_stat_count,
        feature_count.feature_count
    from selected
    cross join centroid_count
    cross join profile_count
    cross join feature_stat_count
    cross join feature_count

),

failures as (

    select * from counts
    where
        selected_k is null
        or centroid_count != selected_k
        or profile_count != selected_k
        or feature_stat_count != selected_k * feature_count

)

select * from failures
