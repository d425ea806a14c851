"""Clustering settings: read from the dbt vars that reach a Python model.

dbt passes vars to a Python model only through its config; the models' YAML
renders them into one JSON string (``config.meta.segmentation_settings``).
This module turns that string into a checked :class:`SegmentationSettings`, so
that a bad value stops the run with one sentence that names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


class SegmentationConfigError(ValueError):
    """A var given to the segmentation has a value it cannot use."""


@dataclass(frozen=True)
class SegmentationSettings:
    """The vars the clustering models use, checked.

    Attributes mirror the vars of the same name in ``dbt_project.yml``;
    ``n_segments`` is ``None`` for ``auto``.
    """

    features: tuple[str, ...]
    n_segments: int | None = None
    k_min: int = 2
    k_max: int = 10
    min_segment_share: float = 0.02
    min_stability_ari: float = 0.8
    random_state: int = 42
    n_init: int = 10
    fit_sample_size: int = 200_000
    silhouette_sample_size: int = 5_000
    stability_resamples: int = 5
    segment_match_tolerance: float = 0.25
    lower_is_better: tuple[str, ...] = field(default=("recency_days",))
    naming_scheme: str = "rfm"
    max_name_fit: float = 0.2
    input_fingerprint: str | None = None

    @property
    def k_values(self) -> list[int]:
        """The k values to evaluate: ``[n_segments]`` or ``k_min..k_max``."""
        if self.n_segments is not None:
            return [self.n_segments]
        return list(range(self.k_min, self.k_max + 1))


def _whole_number(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool):
        raise SegmentationConfigError(
            f"var {name} must be a whole number, got {value!r}"
        )
    try:
        number = float(str(value).strip())
    except ValueError:
        raise SegmentationConfigError(
            f"var {name} must be a whole number, got {value!r}"
        ) from None
    if not number.is_integer():
        raise SegmentationConfigError(
            f"var {name} must be a whole number, got {value!r}"
        )
    if number < minimum:
        raise SegmentationConfigError(
            f"var {name} must be at least {minimum}, got {value!r}"
        )
    return int(number)


def _fraction(name: str, value: object, upper_inclusive: bool = False) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise SegmentationConfigError(
            f"var {name} must be a number between 0 and 1, got {value!r}"
        ) from None
    if not (0 <= number < 1 or (upper_inclusive and number == 1)):
        raise SegmentationConfigError(
            f"var {name} must be a number between 0 and 1, got {value!r}"
        )
    return number


def parse_settings(raw: str | dict) -> SegmentationSettings:
    """Check the segmentation vars and return them as settings.

    Parameters
    ----------
    raw : str or dict
        The vars, as the JSON string the model config carries or as a dict.

    Returns
    -------
    SegmentationSettings

    Raises
    ------
    SegmentationConfigError
        When a var is missing or has a value that cannot be used.

    Examples
    --------
    >>> s = parse_settings('{"segment_features": ["frequency"], "n_segments": "auto",'
    ...                    ' "k_range": [2, 4]}')
    >>> s.k_values
    [2, 3, 4]
    >>> parse_settings({"segment_features": ["frequency"], "n_segments": "many"})
    Traceback (most recent call last):
    ...
    segmentation.settings.SegmentationConfigError: var n_segments must be auto or a \
whole number, got 'many'
    """
    values = json.loads(raw) if isinstance(raw, str) else dict(raw)

    features = values.get("segment_features")
    if isinstance(features, str) or not features:
        raise SegmentationConfigError(
            f"var segment_features must be a non-empty list of feature names, "
            f"got {features!r}"
        )
    if len(set(features)) != len(features):
        raise SegmentationConfigError(
            f"var segment_features lists a feature twice: {features!r}"
        )

    n_segments_raw = values.get("n_segments", "auto")
    n_segments = None
    if str(n_segments_raw).strip().lower() != "auto":
        try:
            n_segments = _whole_number("n_segments", n_segments_raw, 1)
        except SegmentationConfigError:
            raise SegmentationConfigError(
                f"var n_segments must be auto or a whole number, got {n_segments_raw!r}"
            ) from None

    k_range = values.get("k_range", [2, 10])
    if isinstance(k_range, str) or len(k_range) != 2:
        raise SegmentationConfigError(
            f"var k_range must be a list of two whole numbers [lowest, highest], "
            f"got {k_range!r}"
        )
    k_min = _whole_number("k_range", k_range[0], 2)
    k_max = _whole_number("k_range", k_range[1], 2)
    if k_min > k_max:
        raise SegmentationConfigError(
            f"var k_range is upside down: {k_range!r}; write [lowest, highest]"
        )

    naming_scheme = str(values.get("naming_scheme", "rfm")).strip().lower()
    if naming_scheme not in {"rfm", "action"}:
        raise SegmentationConfigError(
            f"var naming_scheme must be rfm or action, got {naming_scheme!r}"
        )

    return SegmentationSettings(
        features=tuple(features),
        n_segments=n_segments,
        k_min=k_min,
        k_max=k_max,
        min_segment_share=_fraction(
            "min_segment_share", values.get("min_segment_share", 0.02)
        ),
        min_stability_ari=_fraction(
            "min_stability_ari", values.get("min_stability_ari", 0.8), True
        ),
        random_state=_whole_number("random_state", values.get("random_state", 42), 0),
        n_init=_whole_number("n_init", values.get("n_init", 10), 1),
        fit_sample_size=_whole_number(
            "fit_sample_size", values.get("fit_sample_size", 200_000), 100
        ),
        silhouette_sample_size=_whole_number(
            "silhouette_sample_size", values.get("silhouette_sample_size", 5_000), 100
        ),
        stability_resamples=_whole_number(
            "stability_resamples", values.get("stability_resamples", 5), 0
        ),
        segment_match_tolerance=_fraction(
            "segment_match_tolerance", values.get("segment_match_tolerance", 0.25), True
        ),
        max_name_fit=_fraction("max_name_fit", values.get("max_name_fit", 0.2), True),
        input_fingerprint=values.get("input_fingerprint"),
        lower_is_better=tuple(
            values.get("lower_is_better_features", ["recency_days"]) or ()
        ),
        naming_scheme=naming_scheme,
    )
