"""The SQL of the per-customer roll-ups of the khata (`KhataBalance`, `KhataAgeingDay`):
the upserts that fold in one entry, and the recomputation from the entries."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from haat.core import repository
from haat.core.db import utcnow
from haat.customers.models import EntryKind, KhataAgeingDay, KhataBalance, KhataEntry


def effect_column() -> ColumnElement[int]:
    """`haat.customers.balances.effect` as SQL over `KhataEntry`: the signed change an entry
    makes to the balance."""
    return case(
        (KhataEntry.kind == EntryKind.PAYMENT, -KhataEntry.amount_minor),
        else_=KhataEntry.amount_minor,
    )


def is_increase_column(entry: Any = KhataEntry) -> ColumnElement[bool]:
    """`haat.customers.balances.is_increase` as SQL over `KhataEntry` (or an alias of it)."""
    return (entry.kind != EntryKind.PAYMENT) == (entry.amount_minor > 0)


def _upsert(session: AsyncSession) -> Any:
    return postgresql_insert if repository.dialect(session) == "postgresql" else sqlite_insert


async def add_to_balance(
    session: AsyncSession, customer_id: uuid.UUID, business_id: uuid.UUID, change: int
) -> None:
    """Add ``change`` (minor units) and one entry to the customer's running balance (an
    upsert: the first entry creates the row)."""
    balance = _upsert(session)(KhataBalance).values(
        customer_id=customer_id,
        business_id=business_id,
        balance_minor=change,
        entries=1,
        updated_at=utcnow(),
    )
    await session.execute(
        balance.on_conflict_do_update(
            index_elements=[KhataBalance.customer_id],
            set_={
                "balance_minor": KhataBalance.balance_minor + balance.excluded.balance_minor,
                "entries": KhataBalance.entries + 1,
                "updated_at": balance.excluded.updated_at,
            },
        )
    )


async def add_to_ageing(
    session: AsyncSession, customer_id: uuid.UUID, business_id: uuid.UUID, day: date, change: int
) -> None:
    """Add ``change`` (minor units) to the customer's increases of ``day`` (an upsert)."""
    ageing = _upsert(session)(KhataAgeingDay).values(
        customer_id=customer_id, day=day, business_id=business_id, increase_minor=change
    )
    await session.execute(
        ageing.on_conflict_do_update(
            index_elements=[KhataAgeingDay.customer_id, KhataAgeingDay.day],
            set_={"increase_minor": KhataAgeingDay.increase_minor + ageing.excluded.increase_minor},
        )
    )


async def rebuild(session: AsyncSession, business_id: uuid.UUID | None = None) -> int:
    """Recompute the balance and ageing rows of one business (or all) from their entries;
    returns the number of balance rows written."""
    e, reversal = KhataEntry, aliased(KhataEntry)
    totals = select(
        e.customer_id,
        e.business_id,
        func.sum(effect_column()),
        func.count(),
        func.max(e.created_at),
    ).group_by(e.customer_id, e.business_id)
    # Increases that were neither reversed nor are reversals: what the ageing counts.
    unreversed = ~select(reversal.id).where(reversal.reverses_id == e.id).exists()
    days = (
        select(e.customer_id, e.occurred_on, e.business_id, func.sum(func.abs(e.amount_minor)))
        .where(and_(e.reverses_id.is_(None), is_increase_column(e), unreversed))
        .group_by(e.customer_id, e.occurred_on, e.business_id)
    )
    gone_balances, gone_days = delete(KhataBalance), delete(KhataAgeingDay)
    if business_id is not None:
        totals = totals.where(e.business_id == business_id)
        days = days.where(e.business_id == business_id)
        gone_balances = gone_balances.where(KhataBalance.business_id == business_id)
        gone_days = gone_days.where(KhataAgeingDay.business_id == business_id)
    await session.execute(gone_balances)
    await session.execute(gone_days)
    columns = ["customer_id", "business_id", "balance_minor", "entries", "updated_at"]
    result = await session.execute(insert(KhataBalance).from_select(columns, totals))
    await session.execute(
        insert(KhataAgeingDay).from_select(
            ["customer_id", "day", "business_id", "increase_minor"], days
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def balances_of(
    session: AsyncSession, business_id: uuid.UUID, customer_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """``{customer id: running balance}`` of the given customers of the business that have
    entries (one query)."""
    rows = await session.execute(
        select(KhataBalance.customer_id, KhataBalance.balance_minor).where(
            KhataBalance.business_id == business_id, KhataBalance.customer_id.in_(customer_ids)
        )
    )
    return {customer_id: int(total) for customer_id, total in rows.all()}
