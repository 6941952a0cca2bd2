"""Reading behaviour events: the platform admins' list, and the feeds the churn and spending
models read (`iter_events`, `activity_by_user`). Writing is `haat.insights.recorder`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.errors import Unprocessable
from haat.core.pagination import PageParams
from haat.core.repository import paginate
from haat.identity.actor import Actor
from haat.insights.models import BehaviourEvent, EventKind


@dataclass(frozen=True)
class EventFilters:
    """Which events: any of ``kinds`` (all when empty), of one user, visitor or product, with
    ``occurred_at`` in [``since``, ``until``)."""

    kinds: tuple[EventKind, ...] = ()
    user_id: uuid.UUID | None = None
    session_id: str | None = None
    product_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def for_days(cls, date_from: date | None, date_to: date | None, **others: Any) -> EventFilters:
        """Filters for the UTC days ``date_from``..``date_to`` inclusive. Raises 422 when
        ``date_from`` is after ``date_to``."""
        if date_from and date_to and date_from > date_to:
            error = {"loc": ["query", "date_from"], "msg": "after date_to", "type": "date_order"}
            raise Unprocessable("date_from is after date_to", errors=[error])
        since = datetime.combine(date_from, time(), UTC) if date_from else None
        until = datetime.combine(date_to, time(), UTC) + timedelta(days=1) if date_to else None
        return cls(since=since, until=until, **others)


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


async def list_events(
    session: AsyncSession, actor: Actor, filters: EventFilters, params: PageParams
) -> tuple[list[BehaviourEvent], int]:
    """Events matching ``filters``, newest first, one page (platform admins only).
    Raises 401 (anonymous), 403 (anyone else)."""
    actor.require_platform_admin()
    stmt = _filtered(select(BehaviourEvent), filters).order_by(
        BehaviourEvent.occurred_at.desc(), BehaviourEvent.id.desc()
    )
    return await paginate(session, stmt, params)


async def iter_events(
    session: AsyncSession, filters: EventFilters, *, batch_size: int = 1000
) -> AsyncIterator[BehaviourEvent]:
    """Every event matching ``filters``, oldest first (by ``occurred_at``, then id), read
    ``batch_size`` rows at a time by keyset, so a model can train on months of events in
    constant memory. For internal readers (models, jobs): no actor, no authorization."""
    e = BehaviourEvent
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        stmt = _filtered(select(e), filters)
        if after is not None:
            stmt = stmt.where(
                or_(e.occurred_at > after[0], and_(e.occurred_at == after[0], e.id > after[1]))
            )
        rows = list(await session.scalars(stmt.order_by(e.occurred_at, e.id).limit(batch_size)))
        for row in rows:
            yield row
        if len(rows) < batch_size:
            return
        after = (rows[-1].occurred_at, rows[-1].id)


@dataclass
class UserActivity:
    """One signed-in shopper's events in a period: how many of each kind, first and last."""

    user_id: uuid.UUID
    counts: dict[EventKind, int] = field(default_factory=dict)
    first_at: datetime | None = None
    last_at: datetime | None = None


async def activity_by_user(
    session: AsyncSession, since: datetime, until: datetime
) -> list[UserActivity]:
    """Per signed-in user with events in [``since``, ``until``): event counts per kind and
    the first and last event time (recency and frequency for the churn model), ordered by
    user id. Anonymous events are left out. For internal readers: no authorization."""
    e = BehaviourEvent
    rows = await session.execute(
        select(e.user_id, e.kind, func.count(), func.min(e.occurred_at), func.max(e.occurred_at))
        .where(e.user_id.is_not(None), e.occurred_at >= since, e.occurred_at < until)
        .group_by(e.user_id, e.kind)
        .order_by(e.user_id)
    )
    by_user: dict[uuid.UUID, UserActivity] = {}
    for user_id, kind, count, first, last in rows.all():
        assert user_id is not None  # filtered above
        activity = by_user.setdefault(user_id, UserActivity(user_id))
        activity.counts[EventKind(kind)] = int(count)
        activity.first_at = first if activity.first_at is None else min(activity.first_at, first)
        activity.last_at = last if activity.last_at is None else max(activity.last_at, last)
    return list(by_user.values())
