"""The SQL of khata entries: recording, reversing, listing, balances and statements."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.core.pagination import PageParams
from haat.customers.models import EntryKind, KhataEntry
from haat.customers.repository.rollups import effect_column


async def get(session: AsyncSession, entry_id: uuid.UUID) -> KhataEntry | None:
    """The entry ``entry_id``, or None."""
    return await repository.get(session, KhataEntry, entry_id)


async def business_currency(session: AsyncSession, business_id: uuid.UUID) -> str | None:
    """The currency of any of the business's entries, or None before the first."""
    return await session.scalar(
        select(KhataEntry.currency).where(KhataEntry.business_id == business_id).limit(1)
    )


async def add(session: AsyncSession, entry: KhataEntry) -> None:
    """Store a new entry now."""
    await repository.add(session, entry)


async def add_reversal(session: AsyncSession, reversal: KhataEntry) -> bool:
    """Store a reversal in a savepoint; False when the unique ``reverses_id`` refused it (a
    concurrent reversal of the same entry came first)."""
    try:
        async with repository.savepoint(session):
            await repository.add(session, reversal)
    except IntegrityError:
        return False
    return True


async def reversed_by(session: AsyncSession, entry_id: uuid.UUID) -> uuid.UUID | None:
    """The id of the entry that reversed ``entry_id``, if any."""
    return await session.scalar(select(KhataEntry.id).where(KhataEntry.reverses_id == entry_id))


async def reversal_links(
    session: AsyncSession, entry_ids: list[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """``{original id: reversing entry id}`` for those of the given entries reversed."""
    rows = await session.execute(
        select(KhataEntry.reverses_id, KhataEntry.id).where(KhataEntry.reverses_id.in_(entry_ids))
    )
    return {original: reversal for original, reversal in rows.all() if original is not None}


async def page_of_customer(
    session: AsyncSession, business_id: uuid.UUID, customer_id: uuid.UUID, params: PageParams
) -> tuple[list[KhataEntry], int]:
    """One page of the customer's entries, newest first (by day, then recording time), and
    their count."""
    stmt = (
        select(KhataEntry)
        .where(KhataEntry.business_id == business_id, KhataEntry.customer_id == customer_id)
        .order_by(KhataEntry.occurred_on.desc(), KhataEntry.created_at.desc(), KhataEntry.id.desc())
    )
    return await repository.paginate(session, stmt, params)


async def totals(
    session: AsyncSession, business_id: uuid.UUID, customer_id: uuid.UUID
) -> tuple[int, int, int, int, date | None, str | None]:
    """The customer's ``(credits, payments, adjustments, entries, last day, currency)``:
    sums of ``amount_minor`` by kind (0 when none), the number of entries, the latest
    ``occurred_on`` and the currency (None without entries), in one query."""

    def total(kind: EntryKind) -> Any:
        return func.coalesce(
            func.sum(case((KhataEntry.kind == kind, KhataEntry.amount_minor), else_=0)), 0
        )

    row = (
        await session.execute(
            select(
                total(EntryKind.CREDIT),
                total(EntryKind.PAYMENT),
                total(EntryKind.ADJUSTMENT),
                func.count(KhataEntry.id),
                func.max(KhataEntry.occurred_on),
                func.min(KhataEntry.currency),
            ).where(KhataEntry.business_id == business_id, KhataEntry.customer_id == customer_id)
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3]), row[4], row[5]


async def balance_before(
    session: AsyncSession, business_id: uuid.UUID, customer_id: uuid.UUID, day: date
) -> int:
    """The customer's balance from the entries that occurred before ``day``."""
    total = await session.scalar(
        select(func.coalesce(func.sum(effect_column()), 0)).where(
            KhataEntry.business_id == business_id,
            KhataEntry.customer_id == customer_id,
            KhataEntry.occurred_on < day,
        )
    )
    return int(total or 0)


async def of_period(
    session: AsyncSession,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    date_from: date | None,
    date_to: date | None,
) -> list[KhataEntry]:
    """The customer's entries that occurred from ``date_from`` to ``date_to`` (inclusive;
    None leaves that end open), oldest first (by day, then recording time)."""
    stmt = select(KhataEntry).where(
        KhataEntry.business_id == business_id, KhataEntry.customer_id == customer_id
    )
    if date_from is not None:
        stmt = stmt.where(KhataEntry.occurred_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(KhataEntry.occurred_on <= date_to)
    rows = await session.scalars(
        stmt.order_by(KhataEntry.occurred_on, KhataEntry.created_at, KhataEntry.id)
    )
    return list(rows)
