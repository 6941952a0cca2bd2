"""The SQL of the metal rate table (`MetalRate`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Metal
from haat.core import repository
from haat.core.pagination import PageParams
from haat.pricing.models import MetalRate


async def in_force(session: AsyncSession, metal: Metal, day: date) -> MetalRate | None:
    """The rate of ``metal`` in force on ``day``: the latest dated on or before it."""
    return await session.scalar(
        select(MetalRate)
        .where(MetalRate.metal == metal, MetalRate.as_of <= day)
        .order_by(MetalRate.as_of.desc())
        .limit(1)
    )


async def dated_within(
    session: AsyncSession, metal: Metal, after: date, until: date
) -> list[MetalRate]:
    """The rates of ``metal`` dated after ``after`` and up to ``until``, oldest first."""
    rows = await session.scalars(
        select(MetalRate)
        .where(MetalRate.metal == metal, MetalRate.as_of > after, MetalRate.as_of <= until)
        .order_by(MetalRate.as_of)
    )
    return list(rows)


async def page_of_rates(
    session: AsyncSession,
    paging: PageParams,
    metal: Metal | None,
    date_from: date | None,
    date_to: date | None,
) -> tuple[list[MetalRate], int]:
    """One page of rates of one metal (or all), dated within ``[date_from, date_to]``,
    newest first, and their count."""
    stmt = select(MetalRate)
    if metal is not None:
        stmt = stmt.where(MetalRate.metal == metal)
    if date_from is not None:
        stmt = stmt.where(MetalRate.as_of >= date_from)
    if date_to is not None:
        stmt = stmt.where(MetalRate.as_of <= date_to)
    return await repository.paginate(
        session, stmt.order_by(MetalRate.as_of.desc(), MetalRate.metal), paging
    )


async def get(session: AsyncSession, rate_id: uuid.UUID) -> MetalRate | None:
    """The rate with this id, or None."""
    return await repository.get(session, MetalRate, rate_id)


async def add(session: AsyncSession, *rates: MetalRate, flush: bool = True) -> None:
    """Store new rates (a second rate of a metal and date raises `IntegrityError` at the
    flush)."""
    await repository.add(session, *rates, flush=flush)


async def delete(session: AsyncSession, rate: MetalRate) -> None:
    """Delete the rate and flush."""
    await repository.delete(session, rate)


async def of_metals(session: AsyncSession, metals: Iterable[Metal]) -> list[MetalRate]:
    """Every stored rate of the given metals."""
    return list(await session.scalars(select(MetalRate).where(MetalRate.metal.in_(metals))))


async def count_of(session: AsyncSession, metal: Metal) -> int:
    """How many rates of ``metal`` are stored."""
    found = await session.scalar(
        select(func.count()).select_from(MetalRate).where(MetalRate.metal == metal)
    )
    return int(found or 0)


async def insert_new(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rate rows (column values), skipping those whose metal and date already have a
    rate (``ON CONFLICT DO NOTHING``), in one statement."""
    insert = postgresql_insert if repository.dialect(session) == "postgresql" else sqlite_insert
    stmt = insert(MetalRate).values(list(rows))
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["metal", "as_of"]))
