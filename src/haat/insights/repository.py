"""The SQL of behaviour events (``behaviour_events``): the batch insert and the readers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from haat.core import repository
from haat.core.events import Row
from haat.core.pagination import PageParams
from haat.insights.filters import EventFilters
from haat.insights.models import BehaviourEvent, EventKind


async def insert_events(conn: AsyncConnection, rows: list[Row]) -> None:
    """Insert a batch of events (column values) in one multi-row INSERT on ``conn``: the
    event buffer's own transaction, outside any request's session."""
    await conn.execute(insert(BehaviourEvent), rows)


def _filtered(stmt: Select[Any], f: EventFilters) -> Select[Any]:
    e = BehaviourEvent
    if f.kinds:
        stmt = stmt.where(e.kind.in_(f.kinds))
    if f.user_id is not None:
        stmt = stmt.where(e.user_id == f.user_id)
    if f.session_id is not None:
        stmt = stmt.where(e.session_id == f.session_id)
    if f.product_id is not None:
        stmt = stmt.where(e.product_id == f.product_id)
    if f.since is not None:
        stmt = stmt.where(e.occurred_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(e.occurred_at < f.until)
    return stmt


async def page_of_events(
    session: AsyncSession, filters: EventFilters, params: PageParams
) -> tuple[list[BehaviourEvent], int]:
    """Events matching ``filters``, newest first: one page and the count."""
    stmt = _filtered(select(BehaviourEvent), filters).order_by(
        BehaviourEvent.occurred_at.desc(), BehaviourEvent.id.desc()
    )
    return await repository.paginate(session, stmt, params)


async def events_after(
    session: AsyncSession,
    filters: EventFilters,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[BehaviourEvent]:
    """At most ``limit`` events matching ``filters``, oldest first (by ``occurred_at``, then
    id), strictly after the keyset ``after`` (``(occurred_at, id)`` of the last one read)."""
    e = BehaviourEvent
    stmt = _filtered(select(e), filters)
    if after is not None:
        stmt = stmt.where(
            or_(e.occurred_at > after[0], and_(e.occurred_at == after[0], e.id > after[1]))
        )
    return list(await session.scalars(stmt.order_by(e.occurred_at, e.id).limit(limit)))


async def counts_by_user_and_kind(
    session: AsyncSession, since: datetime, until: datetime
) -> list[tuple[uuid.UUID, EventKind, int, datetime, datetime]]:
    """``(user id, kind, count, first, last occurred_at)`` of signed-in users' events in
    [``since``, ``until``), ordered by user id."""
    e = BehaviourEvent
    rows = await session.execute(
        select(e.user_id, e.kind, func.count(), func.min(e.occurred_at), func.max(e.occurred_at))
        .where(e.user_id.is_not(None), e.occurred_at >= since, e.occurred_at < until)
        .group_by(e.user_id, e.kind)
        .order_by(e.user_id)
    )
    # user_id is not null here (filtered above)
    return [(u, EventKind(k), int(n), first, last) for u, k, n, first, last in rows.all() if u]
