"""Running khata balances per customer, kept in step with the entries.

Every entry changes its customer's `KhataBalance` row by its `effect` in the transaction that
records it (an upsert that adds to the stored value, atomic under concurrent entries on
PostgreSQL's row lock and SQLite's write lock), so ``balance_minor`` always equals
``sum(effect)`` over the customer's entries. `rebuild` recomputes the rows from the entries
(after a bulk load that bypassed the services, or to check them).
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, case, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import utcnow
from haat.customers.models import EntryKind, KhataBalance, KhataEntry


def effect(kind: EntryKind, amount_minor: int) -> int:
    """The signed change an entry makes to the balance (minor units)."""
    return -amount_minor if kind == EntryKind.PAYMENT else amount_minor


def effect_column() -> ColumnElement[int]:
    """`effect` as SQL over `KhataEntry`."""
    return case(
        (KhataEntry.kind == EntryKind.PAYMENT, -KhataEntry.amount_minor),
        else_=KhataEntry.amount_minor,
    )


async def apply(session: AsyncSession, entry: KhataEntry, effect_minor: int) -> None:
    """Add ``effect_minor`` (the entry's signed change to the balance) to its customer's
    balance row, creating the row for the customer's first entry. Flushes; never commits."""
    dialect = session.get_bind().dialect.name
    upsert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = upsert(KhataBalance).values(
        customer_id=entry.customer_id,
        business_id=entry.business_id,
        balance_minor=effect_minor,
        entries=1,
        updated_at=utcnow(),
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[KhataBalance.customer_id],
            set_={
                "balance_minor": KhataBalance.balance_minor + stmt.excluded.balance_minor,
                "entries": KhataBalance.entries + 1,
                "updated_at": stmt.excluded.updated_at,
            },
        )
    )


async def rebuild(session: AsyncSession, business_id: uuid.UUID | None = None) -> int:
    """Recompute the balance rows of one business (or all) from their entries; returns the
    number of rows written. Flushes; never commits."""
    gone = delete(KhataBalance)
    totals = select(
        KhataEntry.customer_id,
        KhataEntry.business_id,
        func.sum(effect_column()),
        func.count(),
        func.max(KhataEntry.created_at),
    ).group_by(KhataEntry.customer_id, KhataEntry.business_id)
    if business_id is not None:
        gone = gone.where(KhataBalance.business_id == business_id)
        totals = totals.where(KhataEntry.business_id == business_id)
    await session.execute(gone)
    columns = ["customer_id", "business_id", "balance_minor", "entries", "updated_at"]
    result = await session.execute(insert(KhataBalance).from_select(columns, totals))
    return int(getattr(result, "rowcount", 0) or 0)
