"""Append-only event rows written off the request path: after the commit, in batches.

`emit` hands a row (a dict of column values) to the session's event sink once the session's
transaction commits (`haat.core.db.on_commit`); a rolled-back transaction emits nothing. The
sink of a request's session is the app's `EventBuffer`, attached by `haat.core.deps`; a session
without one (CLI, jobs, service tests) emits nothing.

`EventBuffer` keeps rows in memory and a background task writes them through its ``writer``
in batches of at most ``batch_size``, as soon as a batch is full or every
``flush_interval_s`` seconds, and once more on shutdown. A failing writer never reaches the
request: the batch goes back to the front of the queue and is tried again on the next flush
(a row the database refuses as data, not as an outage, is dropped). At most ``max_pending``
rows wait; beyond that new rows are dropped. Every outcome is logged and counted in
Prometheus (``haat_events_*``).

Who is acting anonymously: a visitor id, from the ``X-Session-Id`` header or the ``haat_sid``
cookie (8-64 letters, digits, ``-`` or ``_``), made by the client and only ever used to group
one browser's events.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from prometheus_client import Counter, Gauge
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from haat.core.db import on_commit

log = logging.getLogger("haat.events")

Row = dict[str, Any]
Writer = Callable[[list[Row]], Awaitable[None]]

EVENT_SINK = "haat.event_sink"
# Rows emitted by a request, kept in its ASGI scope (the public cache replays them on a hit).
SCOPE_EVENTS = "haat.events"
VISITOR_HEADER = b"x-session-id"
VISITOR_COOKIE = "haat_sid"
_VISITOR = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

BUFFERED = Counter("haat_events_buffered_total", "Events accepted into the write buffer")
WRITTEN = Counter("haat_events_written_total", "Events written to the event store")
DROPPED = Counter("haat_events_dropped_total", "Events given up on", ["reason"])
FLUSH_FAILURES = Counter("haat_events_flush_failures_total", "Failed batch writes")
PENDING = Gauge("haat_events_pending", "Events waiting in the write buffer")


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip().strip('"')
    return None


def visitor_id(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The anonymous visitor id of a request's raw ASGI headers: ``X-Session-Id``, else the
    ``haat_sid`` cookie; None when absent or malformed."""
    cookie = None
    for name, value in headers:
        if name == VISITOR_HEADER:
            text = value.decode("latin-1").strip()
            return text if _VISITOR.match(text) else None
        if name == b"cookie":
            cookie = _cookie(value.decode("latin-1"), VISITOR_COOKIE)
    return cookie if cookie is not None and _VISITOR.match(cookie) else None


def only_visitor_cookie(header: bytes) -> bool:
    """True when a ``Cookie`` header holds nothing but the visitor cookie (no credentials)."""
    names = {part.strip().partition("=")[0] for part in header.decode("latin-1").split(";") if part}
    return names == {VISITOR_COOKIE}


class RequestSink:
    """The sink of one request's session: rows go to the buffer and are noted in the
    request's ASGI scope (for the public cache)."""

    def __init__(self, buffer: EventBuffer, scope: MutableMapping[str, Any]) -> None:
        self.buffer = buffer
        self.scope = scope

    def add(self, row: Row) -> None:
        self.buffer.add(row)
        self.scope.setdefault(SCOPE_EVENTS, []).append(row)


def emit(session: AsyncSession | Session, row: Row) -> None:
    """Give ``row`` to ``session``'s event sink after its transaction commits; nothing when
    the transaction rolls back or the session has no sink. Never raises for the sink."""
    target = session.sync_session if isinstance(session, AsyncSession) else session
    sink = target.info.get(EVENT_SINK)
    if sink is not None:
        on_commit(target, lambda: sink.add(row))


class EventBuffer:
    """Rows waiting to be written, and the task that writes them in batches (module doc)."""

    def __init__(
        self,
        writer: Writer,
        *,
        batch_size: int = 500,
        flush_interval_s: float = 1.0,
        max_pending: int = 10_000,
        shutdown_timeout_s: float = 5.0,
    ) -> None:
        self.writer = writer
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.max_pending = max_pending
        self.shutdown_timeout_s = shutdown_timeout_s
        self.pending: deque[Row] = deque()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def add(self, row: Row) -> None:
        """Queue one row (called after a commit); dropped and counted when the buffer is full."""
        if len(self.pending) >= self.max_pending:
            DROPPED.labels("buffer_full").inc()
            log.warning("event buffer full (%d rows): event dropped", self.max_pending)
            return
        self.pending.append(row)
        BUFFERED.inc()
        PENDING.set(len(self.pending))
        if len(self.pending) >= self.batch_size:
            self._wake.set()

    def for_request(self, scope: MutableMapping[str, Any]) -> RequestSink:
        return RequestSink(self, scope)

    async def flush(self) -> int:
        """Write every waiting row, a batch at a time; returns how many were written. Stops at
        the first failed batch (put back for the next flush, or dropped if the store refused
        its data), logging and counting it; never raises for the store."""
        written = 0
        async with self._lock:
            while self.pending:
                batch = [
                    self.pending.popleft() for _ in range(min(self.batch_size, len(self.pending)))
                ]
                try:
                    await self.writer(batch)
                except (IntegrityError, DataError):
                    FLUSH_FAILURES.inc()
                    DROPPED.labels("rejected").inc(len(batch))
                    log.exception("event store refused a batch of %d events: dropped", len(batch))
                    continue
                except Exception:
                    FLUSH_FAILURES.inc()
                    log.warning(
                        "event store unavailable; %d events kept for retry",
                        len(batch),
                        exc_info=True,
                    )
                    room = self.max_pending - len(self.pending)
                    if room < len(batch):
                        DROPPED.labels("buffer_full").inc(len(batch) - max(room, 0))
                    self.pending.extendleft(reversed(batch[: max(room, 0)]))
                    break
                finally:
                    PENDING.set(len(self.pending))
                written += len(batch)
                WRITTEN.inc(len(batch))
        return written

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.flush_interval_s)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:  # pragma: no cover - flush handles the store's errors itself
                log.exception("event flush failed")

    def start(self) -> None:
        """Start the background writer on the running loop (app start-up)."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop the writer and flush what is left, within ``shutdown_timeout_s``; rows still
        unwritten then are counted as dropped."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.flush(), self.shutdown_timeout_s)
        if self.pending:
            DROPPED.labels("shutdown").inc(len(self.pending))
            log.warning("%d events not written at shutdown", len(self.pending))
            self.pending.clear()
            PENDING.set(0)
