"""Helpers for the behaviour-event tests: flush the app's buffer and read the table."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from haat.insights.models import BehaviourEvent, EventKind
from tests.commerce.conftest import market  # noqa: F401  (the shared sellers and products)


async def written(app: FastAPI, kind: EventKind | None = None) -> list[BehaviourEvent]:
    """Flush the app's event buffer, then every stored event (of ``kind``), oldest first."""
    await app.state.wiring.events.flush()
    stmt = select(BehaviourEvent).order_by(BehaviourEvent.occurred_at, BehaviourEvent.id)
    if kind is not None:
        stmt = stmt.where(BehaviourEvent.kind == kind)
    async with app.state.wiring.db.session(write=False) as s:
        return list(await s.scalars(stmt))


def kinds(events: list[BehaviourEvent]) -> list[str]:
    return [e.kind.value for e in events]


def context_of(events: list[BehaviourEvent], kind: EventKind) -> list[dict[str, Any]]:
    return [e.context for e in events if e.kind == kind]
