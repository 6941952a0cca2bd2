"""What the registry knows of a kind of model: how to train it, its hold-out and its score.

Each model module registers one `ModelSpec` at import (e.g. `haat.pricing.predictions.diamonds`).
The registry itself stays ignorant of what the models are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

Progress = Callable[[str], None]
Artefact = dict[str, Any]


@dataclass(frozen=True)
class TrainResult:
    """What a trainer returns: the artefact (a dict skops can save), the size and time span
    of its training data (span None for data that are not a time series), the hold-out
    metrics (a JSON dict) and the parameters used."""

    artefact: Artefact
    n_rows: int
    data_start: date | None
    data_end: date | None
    metrics: dict[str, Any]
    params: dict[str, Any]


@dataclass(frozen=True)
class ModelSpec:
    """One kind of model.

    - ``train(params, progress)`` fits it (CPU-bound, synchronous; ``progress`` is called
      once per step with a short description, ``steps`` times in all).
    - ``holdout(params)`` rebuilds the hold-out that ``train`` scored with those parameters.
    - ``score(artefact, holdout)`` gives the metrics of any version of this kind on it, so a
      champion can be judged on a candidate's hold-out.
    - ``metric`` names the metric that decides promotion; lower is better.
    - ``trusted_types`` are the types skops may load from this kind's artefacts beyond its
      safe defaults.
    """

    name: str
    description: str
    train: Callable[[dict[str, Any], Progress], TrainResult]
    holdout: Callable[[dict[str, Any]], Any]
    score: Callable[[Artefact, Any], dict[str, Any]]
    metric: str
    trusted_types: tuple[str, ...] = ()
    steps: int = 1


_SPECS: dict[str, ModelSpec] = {}


def register(spec: ModelSpec) -> ModelSpec:
    """Add ``spec`` (idempotent for the same object; a second spec of one name is refused)."""
    known = _SPECS.get(spec.name)
    if known is not None and known is not spec:
        raise ValueError(f"model {spec.name!r} is registered twice")
    _SPECS[spec.name] = spec
    return spec


def get(name: str) -> ModelSpec:
    """The spec called ``name``; raises `KeyError` naming the known ones."""
    try:
        return _SPECS[name]
    except KeyError:
        raise KeyError(f"no model named {name!r} (known: {', '.join(names()) or 'none'})") from None


def names() -> list[str]:
    """The registered model names, sorted."""
    return sorted(_SPECS)
