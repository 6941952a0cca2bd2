"""Registry rules: train a version, decide whether it replaces the champion, promote, roll
back, list. Functions take a session, flush and never commit.

The promotion rule: a candidate becomes champion only if its metric (the spec's ``metric``,
lower is better) is no worse than the champion's *on the candidate's own hold-out*: the
champion is re-scored there rather than trusted on the figures of its own day. Otherwise it
stays a candidate and the champion keeps serving. A first version of a name is crowned.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import Conflict, NotFound
from haat.ml import artefacts, repository, specs
from haat.ml.models import ModelStatus, ModelVersion
from haat.ml.specs import Progress, TrainResult
from haat.ml.states import MODEL_MACHINE, ModelEvent


class UnknownModel(NotFound):
    code, title = "unknown_model", "No such model"


class NotPromoted(Conflict):
    code, title = "not_promoted", "The candidate is worse than the champion"


class NothingToRollBack(Conflict):
    code, title = "nothing_to_roll_back", "There is no earlier champion to restore"


@dataclass(frozen=True)
class Trained:
    """A fitted model not yet in the registry, with the wall-clock and CPU seconds it took."""

    name: str
    result: TrainResult
    training_seconds: float
    cpu_seconds: float


def fit(
    name: str, params: dict[str, Any] | None = None, progress: Progress | None = None
) -> Trained:
    """Train model ``name`` (synchronous, CPU-bound: run it in a worker thread from async
    code). Raises `UnknownModel`, or whatever the trainer raises for unusable data."""
    spec = _spec(name)
    start, cpu = time.perf_counter(), time.process_time()
    result = spec.train(dict(params or {}), progress or (lambda _step: None))
    return Trained(name, result, time.perf_counter() - start, time.process_time() - cpu)


def _spec(name: str) -> specs.ModelSpec:
    try:
        return specs.get(name)
    except KeyError as exc:
        raise UnknownModel(str(exc.args[0])) from None


async def champion(session: AsyncSession, name: str) -> ModelVersion | None:
    """The serving version of ``name``, if any."""
    return await repository.champion(session, name)


async def versions(session: AsyncSession, name: str | None = None) -> list[ModelVersion]:
    """Every version (of ``name``, or of all models), by name then newest first."""
    return await repository.versions(session, name)


def load(model_dir: Path, row: ModelVersion) -> dict[str, Any]:
    """The artefact of ``row`` (synchronous file read and skops load, with the spec's trusted
    types). Raises as `artefacts.load` does."""
    spec = _spec(row.name)
    return artefacts.load(model_dir, row.artefact_path, row.artefact_sha256, spec.trusted_types)


async def record(
    session: AsyncSession,
    model_dir: Path,
    trained: Trained,
    *,
    trained_by: uuid.UUID | None = None,
) -> ModelVersion:
    """Save the artefact of ``trained`` as the next version of its name and add its row,
    crowned if there is no champion or if it is no worse than the champion on its hold-out
    (see the module docstring), else left a candidate. The decision is in ``comparison``.
    Flushes; never commits."""
    name, result = trained.name, trained.result
    number = await repository.last_version_number(session, name) + 1
    row = ModelVersion(
        id=uuid.uuid4(),
        name=name,
        version=number,
        data_start=result.data_start,
        data_end=result.data_end,
        n_rows=result.n_rows,
        metrics=result.metrics,
        params=result.params,
        training_seconds=round(trained.training_seconds, 3),
        trained_by=trained_by,
    )
    row.artefact_path = f"{name}/{name}-v{number}-{row.id.hex[:8]}.skops"
    row.artefact_sha256 = await anyio.to_thread.run_sync(
        artefacts.save, model_dir, row.artefact_path, result.artefact
    )
    await MODEL_MACHINE.start(session, row, actor_id=trained_by)
    await _decide(session, model_dir, row, result.metrics, force=False)
    return row


async def promote(
    session: AsyncSession, model_dir: Path, name: str, version: int, *, force: bool = False
) -> ModelVersion:
    """Make version ``version`` of ``name`` the champion, after re-scoring the champion on
    that version's hold-out; raises `UnknownModel` (404) for a missing version and
    `NotPromoted` (409) when it is worse, unless ``force``. Promoting the champion is a
    no-op. Flushes; never commits."""
    _spec(name)
    row = await repository.version(session, name, version)
    if row is None:
        raise UnknownModel(f"model {name!r} has no version {version}")
    if row.status == ModelStatus.CHAMPION:
        return row
    spec = _spec(name)
    holdout = await anyio.to_thread.run_sync(spec.holdout, row.params)
    artefact = await anyio.to_thread.run_sync(load, model_dir, row)
    metrics = await anyio.to_thread.run_sync(spec.score, artefact, holdout)
    await _decide(session, model_dir, row, metrics, force=force, holdout=holdout)
    if row.status != ModelStatus.CHAMPION:
        raise NotPromoted(
            f"{name} v{version} scores {spec.metric} {metrics[spec.metric]:.4g}, worse than "
            f"the champion's {row.comparison['champion_score']:.4g} on the same hold-out"
            if row.comparison
            else f"{name} v{version} was not promoted"
        )
    return row


async def rollback(session: AsyncSession, name: str) -> ModelVersion:
    """Withdraw the champion of ``name`` and re-crown the champion before it (the retired
    version crowned most recently and never rolled back). Raises `NothingToRollBack` (409).
    Returns the restored version. Flushes; never commits."""
    _spec(name)
    current = await champion(session, name)
    previous = await repository.previous_champion(session, name)
    if previous is None:
        raise NothingToRollBack(f"{name} has no earlier champion to restore")
    if current is not None:
        await _move(session, current, ModelEvent.ROLL_BACK)
    await _move(session, previous, ModelEvent.CROWN)
    return previous


async def _move(session: AsyncSession, row: ModelVersion, event: ModelEvent, **values: Any) -> None:
    """Move ``row`` by ``event`` (its stamp set now; ``values`` in the same UPDATE). The
    champion is retired before another is crowned: one champion per name at any moment."""
    await MODEL_MACHINE.move(session, row.id, row.status, event, actor_id=None, values=values)


async def _decide(
    session: AsyncSession,
    model_dir: Path,
    row: ModelVersion,
    metrics: dict[str, Any],
    *,
    force: bool,
    holdout: Any = None,
) -> None:
    spec = _spec(row.name)
    current = await champion(session, row.name)
    score = float(metrics[spec.metric])
    decision: dict[str, Any] = {"metric": spec.metric, "candidate_score": score, "at": None}
    if current is None:
        decision["reason"] = "no champion: crowned"
        crown = True
    else:
        if holdout is None:
            holdout = await anyio.to_thread.run_sync(spec.holdout, row.params)
        artefact = await anyio.to_thread.run_sync(load, model_dir, current)
        rescored = await anyio.to_thread.run_sync(spec.score, artefact, holdout)
        champion_score = float(rescored[spec.metric])
        crown = force or score <= champion_score
        decision.update(
            champion_version=current.version,
            champion_score=champion_score,
            reason=(
                "no worse than the champion on the same hold-out"
                if score <= champion_score
                else "worse than the champion on the same hold-out"
                + ("; promoted by force" if force else ": kept as candidate")
            ),
        )
    decision["at"] = utcnow().isoformat()
    decision["promoted"] = crown
    row.comparison = decision
    if crown:
        if current is not None:
            await _move(session, current, ModelEvent.RETIRE)
        await _move(session, row, ModelEvent.CROWN, rolled_back_at=None)
    await core_repository.flush(session)
