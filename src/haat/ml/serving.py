"""The champions a process serves, kept loaded in memory.

Each process (app worker, job worker) holds the loaded artefact of every champion it was asked
for. A lookup costs no query while the last check is younger than ``reload_interval_s``; after
that one indexed query compares the champion's id, and a changed champion is loaded (in a
worker thread, one load at a time) before it is served. A commit of this process that writes
the registry invalidates at once (`tables_committed`, a `Database` commit hook); other
processes notice within the interval.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import Depends

from haat.core.db import Database
from haat.core.deps import provided
from haat.ml import repository, service
from haat.ml.models import ModelVersion

log = logging.getLogger("haat.ml")


@dataclass(frozen=True)
class LoadedModel:
    """A champion in memory: its registry facts and its artefact."""

    id: uuid.UUID
    name: str
    version: int
    artefact: dict[str, Any]
    metrics: dict[str, Any]
    data_start: date | None
    data_end: date | None
    created_at: datetime


class Champions:
    """Loaded champions by model name (one instance per process)."""

    def __init__(self, db: Database, model_dir: Path, reload_interval_s: float = 5.0) -> None:
        self.db = db
        self.model_dir = model_dir
        self.reload_interval_s = reload_interval_s
        self._loaded: dict[str, LoadedModel] = {}
        self._checked: dict[str, float] = {}
        self._errors: dict[str, str] = {}
        self._lock: asyncio.Lock | None = None

    async def get(self, name: str) -> LoadedModel | None:
        """The champion of ``name`` ready to predict, or None when none is trained (or it
        failed to load: `error` then says why)."""
        checked = self._checked.get(name)
        if checked is not None and time.monotonic() - checked < self.reload_interval_s:
            return self._loaded.get(name)
        return await self.refresh(name)

    async def preload(self, names: Iterable[str]) -> None:
        """Load the champions of ``names`` now (at start-up), logging what fails: a missing
        registry table or artefact must not keep the app from starting."""
        for name in names:
            try:
                await self.refresh(name)
            except Exception:
                log.exception("cannot preload the %s champion", name)

    def error(self, name: str) -> str | None:
        """Why the champion of ``name`` could not be loaded at the last check, if it failed."""
        return self._errors.get(name)

    def loaded(self, name: str) -> LoadedModel | None:
        """What is in memory now for ``name``, without checking the registry."""
        return self._loaded.get(name)

    async def refresh(self, name: str) -> LoadedModel | None:
        """Check the registry now and load a changed champion."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            async with self.db.session(write=False) as session:
                row = await repository.champion(session, name)
            self._checked[name] = time.monotonic()
            if row is None:
                self._loaded.pop(name, None)
                self._errors.pop(name, None)
                return None
            current = self._loaded.get(name)
            if current is not None and current.id == row.id:
                return current
            try:
                artefact = await anyio.to_thread.run_sync(service.load, self.model_dir, row)
            except Exception as exc:  # a broken artefact is reported, never served
                log.exception("cannot load %s v%s", name, row.version)
                self._errors[name] = f"{name} v{row.version}: {type(exc).__name__}: {exc}"[:300]
                self._loaded.pop(name, None)
                return None
            self._errors.pop(name, None)
            loaded = LoadedModel(
                row.id,
                name,
                row.version,
                artefact,
                row.metrics,
                row.data_start,
                row.data_end,
                row.created_at,
            )
            self._loaded[name] = loaded
            log.info("serving %s v%s", name, row.version)
            return loaded

    def tables_committed(self, tables: frozenset[str]) -> None:
        """`Database` commit hook: a write to the registry makes the next lookup check."""
        if ModelVersion.__tablename__ in tables:
            self._checked.clear()

    def health_check(self, name: str) -> Any:
        """A `/api/health` check for ``name``: detail ``{"loaded", "version"}``; it fails
        only when a champion exists but cannot be loaded (an untrained model is reported,
        not a failure: the predictions answer 503 and say how to train it)."""

        async def check() -> dict[str, Any]:
            model = await self.refresh(name)
            if model is not None:
                return {"loaded": True, "version": model.version}
            problem = self.error(name)
            if problem is not None:
                raise RuntimeError(problem)
            return {"loaded": False, "version": None, "reason": "no champion trained"}

        return check


# The app's champions, for a route's signature.
ModelChampions = Annotated[Champions, Depends(provided(Champions))]
