"""Recording behaviour events: one call from a service or route, written after the commit.

``record(session, actor, EventKind.CART_ITEM_ADDED, product_id=..., quantity=2)`` notes the
event; it is buffered only when the session's transaction commits (nothing for a rolled-back
request) and written in a batch by the app's `haat.core.events.EventBuffer`, so recording
costs the request a dict and a list append. `store_writer` is the buffer's writer.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import Database, utcnow
from haat.core.events import Row, Writer, emit, visitor_id
from haat.identity.actor import Actor
from haat.insights import repository
from haat.insights.models import EventKind

CACHED = {"cached": True}
MAX_TEXT = 200  # longest string kept in an event's context (search queries)


def _jsonable(value: Any) -> Any:
    if isinstance(value, uuid.UUID | date | datetime):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def record(
    session: AsyncSession,
    actor: Actor,
    kind: EventKind,
    *,
    product_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    **context: Any,
) -> None:
    """Record that ``actor`` (or ``user_id``, the shopper concerned, when someone else acts)
    did ``kind``, about ``product_id``, with ``context`` (small JSON values; None values are
    left out, UUIDs and dates become strings, strings are cut at 200 characters). Written
    after ``session`` commits; never raises for the event store."""
    emit(
        session,
        {
            "occurred_at": utcnow(),
            "kind": kind,
            "user_id": user_id or actor.user_id,
            "session_id": actor.visitor_id,
            "product_id": product_id,
            "context": _jsonable({k: v for k, v in context.items() if v is not None}),
        },
    )


def replay_cached(rows: list[Row], headers: list[tuple[bytes, bytes]]) -> list[Row]:
    """The events of a public response served again from the cache: the same events, now,
    for this visitor (anonymous callers only reach the cache), marked ``cached``."""
    now, visitor = utcnow(), visitor_id(headers)
    return [
        {
            **row,
            "occurred_at": now,
            "session_id": visitor,
            "context": {**row["context"], "cached": True},
        }
        for row in rows
    ]


def store_writer(db: Database) -> Writer:
    """The `EventBuffer` writer that inserts a batch into ``behaviour_events`` in one
    transaction of ``db`` (one multi-row INSERT)."""

    async def write(rows: list[Row]) -> None:
        async with db.write_engine.begin() as conn:
            await repository.insert_events(conn, rows)

    return write
