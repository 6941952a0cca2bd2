"""The app's long-lived objects, built once, typed, in one place.

`build` makes every object a worker keeps for its life (settings, database, cache, jobs,
model registry, payment providers, chat hub, SMS sender, ...) and connects them (commit
hooks, the cache's event replay). Routes ask for one by type through `haat.core.deps.provided`;
`Wiring.lifespan` starts and stops them with the app.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any, get_type_hints

import anyio
from fastapi import FastAPI

from haat.assistant.tasks import EmbeddingRefresher
from haat.chat.language import warm_up as warm_up_language_detector
from haat.chat.realtime import ChatHub
from haat.chat.translation import TranslationService, make_translator
from haat.config import Settings
from haat.core.cache import PublicCache
from haat.core.db import Database
from haat.core.events import EventBuffer, Row
from haat.core.health import HealthRegistry, database_check
from haat.core.ratelimit import RateLimiter
from haat.core.sms import LogSmsSender, SmsSender
from haat.core.storage import LocalStorage
from haat.core.tasks import JobRunner
from haat.insights.recorder import replay_cached, store_writer
from haat.ml.serving import Champions
from haat.payments.providers import Providers
from haat.pricing.predictions.tasks import MODELS as PREDICTION_MODELS


@dataclass(frozen=True)
class Wiring:
    """Every long-lived object of one app."""

    settings: Settings
    db: Database
    limiter: RateLimiter
    storage: LocalStorage
    cache: PublicCache
    jobs: JobRunner
    champions: Champions
    refresher: EmbeddingRefresher
    payments: Providers
    events: EventBuffer
    chat: ChatHub
    sms: SmsSender
    health: HealthRegistry

    @cached_property
    def by_type(self) -> dict[Any, Any]:
        """The objects routes may ask for, by their declared type (`haat.core.deps.provided`)."""
        hints = get_type_hints(type(self))
        return {hints[f.name]: getattr(self, f.name) for f in fields(self)}

    @asynccontextmanager
    async def lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        """Start the background parts with the app; stop them (flushing what waits) after."""
        await self.cache.start()
        self.jobs.start()
        self.events.start()
        # Lingua's models load in a thread so the first chat message does not wait for them.
        self.chat.spawn(anyio.to_thread.run_sync(warm_up_language_detector))
        await self.champions.preload(PREDICTION_MODELS)
        if self.settings.haat_env != "test":
            # What is loaded by now lives as long as the worker: out of the cyclic collector's
            # way (gc.freeze), a full collection under load walks only what requests made.
            # Not in tests, which start many apps in one process.
            gc.collect()
            gc.freeze()
        yield
        await self.chat.drain()
        await self.chat.translations.aclose()
        await self.events.stop()  # flushes what is still buffered
        self.jobs.stop()
        await self.payments.aclose()
        await self.cache.stop()
        await self.db.dispose()


def build(settings: Settings, sms: SmsSender | None = None) -> Wiring:
    """Build and connect the objects of one app. ``sms`` replaces the logging SMS sender
    (tests, gateways)."""
    db = Database(settings.database_url, pool_size=settings.db_pool_size)
    limiter = RateLimiter(settings.redis_url)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    cache = PublicCache(settings.public_cache_ttl_s, redis_url=settings.redis_url)
    jobs = JobRunner(settings)
    champions = Champions(db, settings.model_dir, settings.ml_reload_interval_s)
    refresher = EmbeddingRefresher(settings, db, jobs)
    db.commit_hooks += [cache.tables_committed, champions.tables_committed]
    db.commit_hooks.append(refresher.tables_committed)
    events = EventBuffer(
        store_writer(db),
        batch_size=settings.events_batch_size,
        flush_interval_s=settings.events_flush_interval_s,
        max_pending=settings.events_max_pending,
    )

    def replay_events(rows: list[Row], headers: list[tuple[bytes, bytes]]) -> None:
        for row in replay_cached(rows, headers):
            events.add(row)

    cache.on_hit = replay_events
    translations = TranslationService(db, make_translator(settings), settings.translation_timeout_s)
    sms = sms or LogSmsSender()
    health = HealthRegistry()
    health.add("database", database_check(db))
    for name in PREDICTION_MODELS:
        health.add(f"model:{name}", champions.health_check(name))
    return Wiring(
        settings=settings,
        db=db,
        limiter=limiter,
        storage=LocalStorage(settings.upload_dir, settings.media_url),
        cache=cache,
        jobs=jobs,
        champions=champions,
        refresher=refresher,
        payments=Providers(settings),
        events=events,
        chat=ChatHub(settings, db, translations, limiter),
        sms=sms,
        health=health,
    )
