"""Keeping the product embeddings current: a background job after products change.

`EmbeddingRefresher.tables_committed` is a `Database.commit_hooks` entry: when a committed
transaction wrote ``products`` (created, edited, approved, unpublished, archived, or only its
stock taken by a checkout), and the re-rank is on with the `ai` extra installed, it queues the
job ``assistant.refresh_embeddings`` (`haat.core.tasks`) ``ASSISTANT_REFRESH_DELAY_S`` later
(30 s by default): every change of that window, however many, shares the one job, which reads
the products as they are when it runs. The job computes vectors for new and changed approved
products and drops those of products no longer approved (`build_index`).

The job is only queued once an index exists (`haat assistant index` has run at least once):
a deployment that never built one is not made to load the model behind its back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from haat.assistant import embeddings
from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.core.tasks import JobRunner, TaskContext, enqueue, task

TASK_NAME = "assistant.refresh_embeddings"
log = logging.getLogger("haat.assistant")


def rerank_enabled(settings: Settings) -> bool:
    """True when the re-rank is on and the `ai` extra is installed."""
    return settings.assistant_rerank and embeddings.available()


@task(TASK_NAME)
async def refresh_embeddings(ctx: TaskContext) -> dict[str, Any]:
    """Bring the product embeddings up to date; returns the counts of `IndexResult`."""
    if not rerank_enabled(ctx.settings):
        return {"skipped": "the re-rank is off or the ai extra is not installed"}
    model = embeddings.embedder(ctx.settings.assistant_torch_threads)
    result = await embeddings.build_index(lambda: session_scope(ctx.db), model)
    return {"computed": result.computed, "unchanged": result.unchanged, "removed": result.removed}


class EmbeddingRefresher:
    """Queues one refresh job ``settings.assistant_refresh_delay_s`` after the first commit
    that changed products, for all the commits of that window (at most one pending)."""

    def __init__(self, settings: Settings, db: Database, runner: JobRunner) -> None:
        self.settings = settings
        self.db = db
        self.runner = runner
        self._pending: asyncio.Task[None] | None = None

    def tables_committed(self, tables: Iterable[str]) -> None:
        """`Database` commit hook: a commit that wrote ``products`` schedules the job."""
        if "products" not in tables or not rerank_enabled(self.settings):
            return
        if self._pending is not None and not self._pending.done():
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # a commit outside an event loop (none in the app)
        self._pending = loop.create_task(self._queue(self.settings.assistant_refresh_delay_s))

    async def _queue(self, delay_s: float) -> None:
        await asyncio.sleep(delay_s)
        try:
            async with session_scope(self.db) as session:
                if await embeddings.has_index(session):
                    await enqueue(session, self.runner, TASK_NAME)
        except Exception:
            log.exception("could not queue the embeddings refresh")

    async def wait(self) -> None:
        """Until the pending queueing (if any) is done (tests, shutdown)."""
        if self._pending is not None:
            await self._pending
