{#- One row per k tried: the figures an elbow or silhouette chart draws, the k
    rule's verdict, whether the selected k's segments kept the previous run's
    names, the share of variance the PCA scatter shows, and how often the
    segments' plain rules (segment_rules) give a customer's segment. -#}

with

evaluation as (

    select * from {{ ref('int_segments__k_evaluation') }}

),

loadings as (

    select * from {{ ref('int_features__pca_loadings') }}

),

centroids as (

    select * from {{ ref('int_segments__centroids') }}

),

rule_assignment as (

    select * from {{ ref('int_customers__rule_assignment') }}

),

naming as (

    -- the same on every segment row: one verdict for the run
    select max(naming_verdict) as naming_verdict
    from centroids

),

explained_variance as (

    select
        max(explained_variance_pc1) as pca_explained_variance_1,
        max(explained_variance_pc2) as pca_explained_variance_2
    from loadings

),

rules as (

    select
        avg(case when rule_segment_id = segment_id then 1 else 0 end)
            as rules_fidelity
    from rule_assignment

),

diagnostics as (

    select
        evaluation.k,
        round(evaluation.inertia, 6) as inertia,
        round(evaluation.silhouette, 6) as silhouette,
        round(evaluation.davies_bouldin, 6) as davies_bouldin,
        round(evaluation.calinski_harabasz, 6) as calinski_harabasz,
        round(evaluation.smallest_segment_share, 6) as smallest_segment_share,
        round(evaluation.stability_ari, 6) as stability_ari,
        round(evaluation.elbow_score, 6) as elbow_score,
        evaluation.mean_rank,
        evaluation.is_eligible,
        evaluation.is_selected,
        evaluation.verdict,
        case when evaluation.is_selected then naming.naming_verdict end
            as naming_verdict,
        round(explained_variance.pca_explained_variance_1, 6)
            as pca_explained_variance_1,
        round(explained_variance.pca_explained_variance_2, 6)
            as pca_explained_variance_2,
        case
            when evaluation.is_selected then round(rules.rules_fidelity, 6)
        end as rules_fidelity
    from evaluation
    cross join naming
    cross join explained_variance
    cross join rules

)

select * from diagnostics
order by k
