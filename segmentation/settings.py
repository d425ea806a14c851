"""Clustering settings: the dbt vars that reach a Python model, typed.

dbt passes vars to a Python model only through its config; the models' YAML
renders them into one JSON string (``config.meta.segmentation_settings``).
Their defaults, types and bounds are declared once, in
``macros/validation/var_schema.sql``, and ``validate_vars()`` checks every
value against it in on-run-start, before any model (Python ones included)
runs. This module therefore neither defaults nor re-checks a value: it only
converts the JSON to :class:`SegmentationSettings`, and stops with a sentence
naming the var when one is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


class SegmentationConfigError(ValueError):
    """A var given to the segmentation is missing or cannot be used."""


#: The vars the Python models read, as keys of ``segmentation_settings``.
SETTINGS_VARS: tuple[str, ...] = (
    "segment_features",
    "lower_is_better_features",
    "n_segments",
    "k_range",
    "min_segment_share",
    "min_stability_ari",
    "random_state",
    "n_init",
    "silhouette_sample_size",
    "stability_resamples",
    "segment_match_tolerance",
    "naming_scheme",
    "max_name_fit",
)


@dataclass(frozen=True)
class SegmentationSettings:
    """The vars the clustering models use.

    Attributes mirror the vars of the same name (see
    ``macros/validation/var_schema.sql``): ``features`` is
    ``segment_features``, ``lower_is_better`` is ``lower_is_better_features``,
    ``k_min`` and ``k_max`` are ``k_range``, and ``n_segments`` is ``None``
    for ``auto``. ``input_fingerprint`` identifies the input (file and column
    map) so that a rerun knows whether it read the same data.
    """

    features: tuple[str, ...]
    lower_is_better: tuple[str, ...]
    n_segments: int | None
    k_min: int
    k_max: int
    min_segment_share: float
    min_stability_ari: float
    random_state: int
    n_init: int
    silhouette_sample_size: int
    stability_resamples: int
    segment_match_tolerance: float
    naming_scheme: str
    max_name_fit: float
    input_fingerprint: str | None

    @property
    def k_values(self) -> list[int]:
        """The k values to evaluate: ``[n_segments]`` or ``k_min..k_max``."""
        if self.n_segments is not None:
            return [self.n_segments]
        return list(range(self.k_min, self.k_max + 1))


def parse_settings(raw: str | dict) -> SegmentationSettings:
    """Turn the segmentation vars, checked by dbt, into typed settings.

    Parameters
    ----------
    raw : str or dict
        The vars, as the JSON string the model config carries or as a dict:
        every name of :data:`SETTINGS_VARS`, plus ``input_fingerprint``
        (may be null).

    Returns
    -------
    SegmentationSettings

    Raises
    ------
    SegmentationConfigError
        When a var is missing: the models' YAML must pass every one.

    Examples
    --------
    >>> values = {name: 0 for name in SETTINGS_VARS}
    >>> values.update(segment_features=["frequency"], lower_is_better_features=[],
    ...               n_segments="auto", k_range=[2, 4], naming_scheme="rfm",
    ...               input_fingerprint=None)
    >>> parse_settings(json.dumps(values)).k_values
    [2, 3, 4]
    >>> del values["max_name_fit"]
    >>> parse_settings(values)
    Traceback (most recent call last):
    ...
    segmentation.settings.SegmentationConfigError: segmentation_settings lacks \
max_name_fit: the models' YAML must pass every var the Python models read
    """
    values = json.loads(raw) if isinstance(raw, str) else dict(raw)
    missing = [
        name for name in (*SETTINGS_VARS, "input_fingerprint") if name not in values
    ]
    if missing:
        raise SegmentationConfigError(
            f"segmentation_settings lacks {', '.join(missing)}: the models' YAML "
            "must pass every var the Python models read"
        )
    n_segments = values["n_segments"]
    k_min, k_max = values["k_range"]
    return SegmentationSettings(
        features=tuple(values["segment_features"]),
        lower_is_better=tuple(values["lower_is_better_features"]),
        n_segments=None if n_segments == "auto" else int(n_segments),
        k_min=int(k_min),
        k_max=int(k_max),
        min_segment_share=float(values["min_segment_share"]),
        min_stability_ari=float(values["min_stability_ari"]),
        random_state=int(values["random_state"]),
        n_init=int(values["n_init"]),
        silhouette_sample_size=int(values["silhouette_sample_size"]),
        stability_resamples=int(values["stability_resamples"]),
        segment_match_tolerance=float(values["segment_match_tolerance"]),
        naming_scheme=str(values["naming_scheme"]),
        max_name_fit=float(values["max_name_fit"]),
        input_fingerprint=values["input_fingerprint"],
    )
