"""Development tooling: the sample generator and the one way to run dbt.

Nothing here is imported by the dbt models (they import ``segmentation``).
"""
