"""The SQL of the ledger: accounts, journal entries and their postings (append-only: rows are
only ever inserted; the ORM guard in `haat.payments.models` refuses changes and deletes)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from haat.core import repository
from haat.core.db import utcnow
from haat.payments.models import AccountKind, JournalEntry, LedgerAccount, Posting

AccountKey = tuple[str, str]  # (code, currency)


async def accounts(
    session: AsyncSession, keys: Iterable[AccountKey]
) -> dict[AccountKey, LedgerAccount]:
    """``{(code, currency): account}`` of those of ``keys`` that exist."""
    rows = await session.scalars(
        select(LedgerAccount).where(
            tuple_(LedgerAccount.code, LedgerAccount.currency).in_(list(keys))
        )
    )
    return {(a.code, a.currency): a for a in rows.all()}


async def insert_accounts(
    session: AsyncSession, rows: list[tuple[str, str, AccountKind, uuid.UUID | None]]
) -> None:
    """Insert the accounts ``(code, currency, kind, owner id)`` that do not exist yet, one by
    one in the order given, with ``INSERT ... ON CONFLICT DO NOTHING``: a transaction that
    races another for the same account waits for its commit and then inserts nothing."""
    insert = postgresql_insert if repository.dialect(session) == "postgresql" else sqlite_insert
    now = utcnow()
    for code, currency, kind, owner_id in rows:
        stmt = insert(LedgerAccount).values(
            id=uuid.uuid4(),
            created_at=now,
            code=code,
            currency=currency,
            kind=kind,
            owner_id=owner_id,
        )
        await session.execute(stmt.on_conflict_do_nothing(index_elements=["code", "currency"]))


async def entry_by_key(session: AsyncSession, key: str) -> JournalEntry | None:
    """The entry posted with idempotency key ``key``, its postings and accounts loaded."""
    return (
        await session.scalars(
            select(JournalEntry)
            .where(JournalEntry.idempotency_key == key)
            .options(selectinload(JournalEntry.postings).joinedload(Posting.account))
        )
    ).one_or_none()


async def add_entry(session: AsyncSession, entry: JournalEntry) -> None:
    """Insert a new entry with its postings (flushed)."""
    await repository.add(session, entry)


async def balance(session: AsyncSession, code: str, currency: str) -> int:
    """The signed sum of the postings of account ``(code, currency)``: 0 when unused."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Posting.amount_minor), 0))
        .join(LedgerAccount, Posting.account_id == LedgerAccount.id)
        .where(LedgerAccount.code == code, LedgerAccount.currency == currency)
    )
    return int(total or 0)


async def totals_by_currency(session: AsyncSession) -> dict[str, int]:
    """The sum of every posting per currency."""
    rows = await session.execute(
        select(Posting.currency, func.sum(Posting.amount_minor)).group_by(Posting.currency)
    )
    return {currency: int(total) for currency, total in rows.all()}


async def entries_about(
    session: AsyncSession, reference_type: str, reference_id: uuid.UUID
) -> list[JournalEntry]:
    """The entries about ``(reference_type, reference_id)``, oldest first, with their
    postings and accounts loaded."""
    rows = await session.scalars(
        select(JournalEntry)
        .where(
            JournalEntry.reference_type == reference_type,
            JournalEntry.reference_id == reference_id,
        )
        .order_by(JournalEntry.created_at, JournalEntry.id)
        .options(selectinload(JournalEntry.postings).joinedload(Posting.account))
    )
    return list(rows.all())
