"""Per-customer roll-ups of the khata, kept in step with the entries.

Every entry, in the transaction that records it, updates two roll-ups (upserts that add to
the stored values, atomic under concurrent entries on PostgreSQL's row lock and SQLite's
write lock):

* `KhataBalance`: ``balance_minor`` = ``sum(effect)`` over the customer's entries.
* `KhataAgeingDay`: per customer and day, the increases (credits, positive adjustments,
  reversals of payments or negative adjustments are *not* among them, see below) that FIFO
  ageing counts. A reversed pair is left out of the ageing as if never made: reversing an
  increase takes its amount off the original's day, and reversing anything else (a payment,
  a negative adjustment) adds nothing, so a pair always nets to zero.

`rebuild` recomputes both from the entries (after a bulk load that bypassed the services,
or to check them); the migration that added them ran the same computation.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from haat.core.db import utcnow
from haat.customers.models import EntryKind, KhataAgeingDay, KhataBalance, KhataEntry


def effect(kind: EntryKind, amount_minor: int) -> int:
    """The signed change an entry makes to the balance (minor units)."""
    return -amount_minor if kind == EntryKind.PAYMENT else amount_minor


def effect_column() -> ColumnElement[int]:
    """`effect` as SQL over `KhataEntry`."""
    return case(
        (KhataEntry.kind == EntryKind.PAYMENT, -KhataEntry.amount_minor),
        else_=KhataEntry.amount_minor,
    )


def is_increase(kind: EntryKind, amount_minor: int) -> bool:
    """True for an entry that raises the balance: a credit or adjustment with a positive
    amount, or a reversal of a payment (a payment with a negative amount)."""
    return (kind != EntryKind.PAYMENT) == (amount_minor > 0)


def is_increase_column(entry: Any = KhataEntry) -> ColumnElement[bool]:
    """`is_increase` as SQL over `KhataEntry` (or an alias of it)."""
    return (entry.kind != EntryKind.PAYMENT) == (entry.amount_minor > 0)


def _upsert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


async def apply(
    session: AsyncSession, entry: KhataEntry, original: KhataEntry | None = None
) -> None:
    """Fold a new ``entry`` (a reversal of ``original`` when given) into its customer's
    balance and ageing days. Flushes; never commits."""
    upsert = _upsert(session)
    balance = upsert(KhataBalance).values(
        customer_id=entry.customer_id,
        business_id=entry.business_id,
        balance_minor=effect(entry.kind, entry.amount_minor),
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
    if original is None:
        if not is_increase(entry.kind, entry.amount_minor):
            return
        day, change = entry.occurred_on, abs(entry.amount_minor)
    else:
        if not is_increase(original.kind, original.amount_minor):
            return  # the pair added nothing to the ageing, and still adds nothing
        day, change = original.occurred_on, -abs(original.amount_minor)
    await _add_ageing(session, upsert, entry, day, change)


async def _add_ageing(
    session: AsyncSession, upsert: Any, entry: KhataEntry, day: date, change: int
) -> None:
    ageing = upsert(KhataAgeingDay).values(
        customer_id=entry.customer_id, day=day, business_id=entry.business_id, increase_minor=change
    )
    await session.execute(
        ageing.on_conflict_do_update(
            index_elements=[KhataAgeingDay.customer_id, KhataAgeingDay.day],
            set_={"increase_minor": KhataAgeingDay.increase_minor + ageing.excluded.increase_minor},
        )
    )


async def rebuild(session: AsyncSession, business_id: uuid.UUID | None = None) -> int:
    """Recompute the balance and ageing rows of one business (or all) from their entries;
    returns the number of balance rows written. Flushes; never commits."""
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
