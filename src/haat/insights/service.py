"""Reading behaviour events: the platform admins' list, and the feeds the churn and spending
models read (`iter_events`, `activity_by_user`). Writing is `haat.insights.recorder`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.pagination import PageParams
from haat.identity.actor import Actor
from haat.insights import repository
from haat.insights.filters import EventFilters
from haat.insights.models import BehaviourEvent, EventKind


async def list_events(
    session: AsyncSession, actor: Actor, filters: EventFilters, params: PageParams
) -> tuple[list[BehaviourEvent], int]:
    """Events matching ``filters``, newest first, one page (platform admins only).
    Raises 401 (anonymous), 403 (anyone else)."""
    actor.require_platform_admin()
    return await repository.page_of_events(session, filters, params)


async def iter_events(
    session: AsyncSession, filters: EventFilters, *, batch_size: int = 1000
) -> AsyncIterator[BehaviourEvent]:
    """Every event matching ``filters``, oldest first (by ``occurred_at``, then id), read
    ``batch_size`` rows at a time by keyset, so a model can train on months of events in
    constant memory. For internal readers (models, jobs): no actor, no authorization."""
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        rows = await repository.events_after(session, filters, after, batch_size)
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
    by_user: dict[uuid.UUID, UserActivity] = {}
    for user_id, kind, count, first, last in await repository.counts_by_user_and_kind(
        session, since, until
    ):
        activity = by_user.setdefault(user_id, UserActivity(user_id))
        activity.counts[kind] = count
        activity.first_at = first if activity.first_at is None else min(activity.first_at, first)
        activity.last_at = last if activity.last_at is None else max(activity.last_at, last)
    return list(by_user.values())
