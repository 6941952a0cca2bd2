"""Models trained once per test session, small and fast, and registered per test.

The diamond models here have few boosting rounds (the real ones have 1,500): they are for
exercising the registry and the API, not for their accuracy (bench/ measures that).
"""

from __future__ import annotations

import pytest

from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.ml import service
from haat.ml.models import ModelVersion
from haat.ml.service import Trained

SMALL_DIAMOND = {"num_boost_round": 60}
WEAK_DIAMOND = {"num_boost_round": 2}


@pytest.fixture(scope="session")
def trained() -> dict[str, Trained]:
    """``gold`` (the real model: it is fast), ``diamond`` (60 rounds), ``weak_diamond``
    (2 rounds: far worse on the same hold-out)."""
    return {
        "gold": service.fit("gold"),
        "diamond": service.fit("diamond", SMALL_DIAMOND),
        "weak_diamond": service.fit("diamond", WEAK_DIAMOND),
    }


async def register(db: Database, settings: Settings, model: Trained) -> ModelVersion:
    """Record ``model`` in the registry in a committed transaction of its own."""
    async with session_scope(db) as session:
        return await service.record(session, settings.model_dir, model)


@pytest.fixture
async def champions(db: Database, settings: Settings, trained: dict[str, Trained]) -> None:
    """The gold and diamond models registered (each crowned: the registry is empty)."""
    await register(db, settings, trained["gold"])
    await register(db, settings, trained["diamond"])
