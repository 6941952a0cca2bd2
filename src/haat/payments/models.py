"""Double-entry ledger tables: accounts, journal entries and their postings.

Every movement of money is one `JournalEntry` with two or more `Posting` rows whose signed
amounts sum to zero in each currency. Sign convention: a debit is positive, a credit is
negative (so an asset account's balance is normally positive and a liability's or revenue
account's normally negative). Entries are append-only: a mistake is corrected by a reversing
entry, never by editing or deleting rows, and the ORM refuses to update or delete them.
Write through `haat.payments.ledger.post`, which checks the rules before anything is stored.
"""

from __future__ import annotations

import enum
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from haat.core.db import Base, IdMixin, enum_type


class AccountKind(enum.StrEnum):
    """The five kinds of account of double-entry book-keeping (the platform's books)."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    REVENUE = "revenue"
    EXPENSE = "expense"


class LedgerAccount(IdMixin, Base):
    """An account in one currency, named by a code such as ``seller:<uuid>:payable``.

    The same code may exist once per currency (``platform:fees`` in INR and in USD).
    ``owner_id`` is the user, business or order the code names, when it names one.
    """

    __tablename__ = "ledger_accounts"
    __table_args__ = (UniqueConstraint("code", "currency"),)

    code: Mapped[str] = mapped_column(String(120))
    currency: Mapped[str] = mapped_column(String(3))
    kind: Mapped[AccountKind] = mapped_column(enum_type(AccountKind, length=16))
    owner_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class JournalEntry(IdMixin, Base):
    """One balanced movement of money, about one object (``reference_type``, ``reference_id``),
    e.g. ``("order", <order id>)`` or ``("milestone", <milestone id>)``."""

    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_reference", "reference_type", "reference_id"),)

    description: Mapped[str] = mapped_column(String(500))
    reference_type: Mapped[str] = mapped_column(String(40))
    reference_id: Mapped[uuid.UUID]
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    postings: Mapped[list[Posting]] = relationship(
        back_populates="entry", lazy="raise", order_by="Posting.position"
    )


class Posting(IdMixin, Base):
    """One line of an entry: ``amount_minor`` (debit > 0, credit < 0) on one account."""

    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint("amount_minor <> 0", name="amount_nonzero"),
        UniqueConstraint("entry_id", "position"),
    )

    entry_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("journal_entries.id", ondelete="RESTRICT")
    )
    position: Mapped[int]
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="RESTRICT"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))

    entry: Mapped[JournalEntry] = relationship(back_populates="postings", lazy="raise")
    account: Mapped[LedgerAccount] = relationship(lazy="raise")


class LedgerIsAppendOnly(RuntimeError):
    """Raised on an attempt to change or delete a journal entry or posting through the ORM."""


@event.listens_for(Session, "before_flush")
def _refuse_ledger_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, JournalEntry | Posting) and (
            obj in session.deleted or session.is_modified(obj, include_collections=False)
        ):
            raise LedgerIsAppendOnly(
                "journal entries and postings are never changed; post a reversing entry"
            )
