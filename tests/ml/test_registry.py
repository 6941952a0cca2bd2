"""The registry: versions, the promotion rule on the same hold-out, promote, rollback, and
artefacts loaded only as skops files of trusted types with their recorded checksum."""

from __future__ import annotations

import pytest
from skops.io.exceptions import UntrustedTypesFoundException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.ml import artefacts, service
from haat.ml.models import ModelStatus, ModelVersion
from haat.ml.service import NothingToRollBack, NotPromoted, Trained, UnknownModel
from haat.ml.serving import Champions
from tests.ml import fixtures
from tests.ml.fixtures import register

trained = fixtures.trained


async def _statuses(db: Database, name: str) -> dict[int, ModelStatus]:
    async with db.session(write=False) as s:
        rows = await s.scalars(select(ModelVersion).where(ModelVersion.name == name))
        return {row.version: row.status for row in rows}


async def test_first_version_is_crowned_with_its_facts(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    row = await register(db, settings, trained["gold"])
    assert (row.version, row.status) == (1, ModelStatus.CHAMPION)
    assert row.comparison is not None and row.comparison["promoted"] is True
    assert str(row.data_start) == "1973-01-01" and row.n_rows >= 600
    assert set(row.metrics["horizons"]) == {"1", "3", "12"}
    assert (settings.model_dir / row.artefact_path).is_file()
    assert row.artefact_path.endswith(".skops")


async def test_a_worse_candidate_is_not_promoted(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    good = await register(db, settings, trained["diamond"])
    weak = await register(db, settings, trained["weak_diamond"])
    assert weak.version == 2 and weak.status == ModelStatus.CANDIDATE
    assert weak.comparison is not None
    assert weak.comparison["champion_version"] == 1 and weak.comparison["promoted"] is False
    # The champion was re-scored on the candidate's hold-out, which here is the same split.
    assert weak.comparison["champion_score"] == pytest.approx(good.metrics["rmse"])
    assert weak.comparison["candidate_score"] > weak.comparison["champion_score"]
    assert await _statuses(db, "diamond") == {1: ModelStatus.CHAMPION, 2: ModelStatus.CANDIDATE}


async def test_a_version_no_worse_replaces_the_champion(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    await register(db, settings, trained["weak_diamond"])
    better = await register(db, settings, trained["diamond"])
    assert better.status == ModelStatus.CHAMPION
    assert await _statuses(db, "diamond") == {1: ModelStatus.RETIRED, 2: ModelStatus.CHAMPION}


async def test_promote_refuses_a_worse_version_unless_forced(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    await register(db, settings, trained["diamond"])
    await register(db, settings, trained["weak_diamond"])
    with pytest.raises(NotPromoted, match="worse than the champion"):
        async with session_scope(db) as s:
            await service.promote(s, settings.model_dir, "diamond", 2)
    assert await _statuses(db, "diamond") == {1: ModelStatus.CHAMPION, 2: ModelStatus.CANDIDATE}
    async with session_scope(db) as s:
        row = await service.promote(s, settings.model_dir, "diamond", 2, force=True)
    assert row.comparison is not None and "by force" in row.comparison["reason"]
    assert await _statuses(db, "diamond") == {1: ModelStatus.RETIRED, 2: ModelStatus.CHAMPION}
    with pytest.raises(UnknownModel):
        async with session_scope(db) as s:
            await service.promote(s, settings.model_dir, "diamond", 9)
    with pytest.raises(UnknownModel):
        async with session_scope(db) as s:
            await service.promote(s, settings.model_dir, "silver", 1)


async def test_rollback_recrowns_the_previous_champion_once(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    with pytest.raises(NothingToRollBack):
        async with session_scope(db) as s:
            await service.rollback(s, "gold")
    for _ in range(3):
        await register(db, settings, trained["gold"])  # the same data: each is no worse
    assert await _statuses(db, "gold") == {
        1: ModelStatus.RETIRED,
        2: ModelStatus.RETIRED,
        3: ModelStatus.CHAMPION,
    }
    async with session_scope(db) as s:
        assert (await service.rollback(s, "gold")).version == 2
    async with session_scope(db) as s:
        assert (await service.rollback(s, "gold")).version == 1  # not back to 3
    assert await _statuses(db, "gold") == {
        1: ModelStatus.CHAMPION,
        2: ModelStatus.RETIRED,
        3: ModelStatus.RETIRED,
    }
    with pytest.raises(NothingToRollBack):
        async with session_scope(db) as s:
            await service.rollback(s, "gold")


async def test_the_database_allows_one_champion_per_name(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    row = await register(db, settings, trained["gold"])
    with pytest.raises(IntegrityError):
        async with session_scope(db) as s:
            s.add(
                ModelVersion(
                    name="gold",
                    version=2,
                    status=ModelStatus.CHAMPION,
                    n_rows=1,
                    metrics={},
                    params={},
                    artefact_path=row.artefact_path,
                    artefact_sha256=row.artefact_sha256,
                    training_seconds=0.0,
                )
            )


async def test_artefacts_load_only_unchanged_and_with_trusted_types(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    row = await register(db, settings, trained["diamond"])
    loaded = service.load(settings.model_dir, row)
    assert loaded["q_low"] < 0 < loaded["q_high"]
    with pytest.raises(UntrustedTypesFoundException):
        artefacts.load(settings.model_dir, row.artefact_path, row.artefact_sha256, ())
    path = settings.model_dir / row.artefact_path
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(artefacts.ArtefactMismatch):
        service.load(settings.model_dir, row)


async def test_a_process_serves_the_new_champion_after_a_change(
    db: Database, settings: Settings, trained: dict[str, Trained]
) -> None:
    cache = Champions(db, settings.model_dir, reload_interval_s=3600)
    db.commit_hooks.append(cache.tables_committed)
    try:
        assert await cache.get("gold") is None
        await register(db, settings, trained["gold"])
        first = await cache.get("gold")  # the commit hook made it look again at once
        assert first is not None and first.version == 1
        assert await cache.get("gold") is first  # no reload while nothing changed
        await register(db, settings, trained["gold"])
        second = await cache.get("gold")
        assert second is not None and second.version == 2
    finally:
        db.commit_hooks.remove(cache.tables_committed)
