"""Customer segmentation logic used by the dbt Python models."""
