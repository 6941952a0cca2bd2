"""A business's customers and their khata (credit ledger) entries.

Khata entries are immutable: a correction is a new entry that reverses an earlier one
(``reverses_id``), never an update. Amounts are integer minor units of ``currency``.

Balance convention (receivable, what the customer owes the business)::

    balance = sum(credit) - sum(payment) + sum(adjustment)

``amount_minor`` is positive for credits and payments as entered, signed for adjustments;
a reversal repeats its original's kind with the amount negated, so the formula holds for
reversals too and a reversed pair sums to zero.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, TimestampMixin, enum_type, utcnow
from haat.core.money import PaymentMethod


class EntryKind(enum.StrEnum):
    CREDIT = "credit"  # goods given on credit: the customer owes more
    PAYMENT = "payment"  # money received: the customer owes less
    ADJUSTMENT = "adjustment"  # signed correction (discount, rounding, opening balance)


class Customer(TimestampMixin, Base):
    """Someone a business sells to, possibly on credit. Never deleted, only archived."""

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("business_id", "phone"),
        Index("ix_customers_business_name", "business_id", "name"),
    )

    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    archived: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class KhataEntry(IdMixin, Base):
    """One immutable line of a customer's khata. ``created_at`` is when it was recorded,
    ``occurred_on`` the business day it happened."""

    __tablename__ = "khata_entries"
    __table_args__ = (
        # Statements, balances and the business summary (FIFO ageing) read by these.
        Index(
            "ix_khata_entries_business_customer_day", "business_id", "customer_id", "occurred_on"
        ),
        # Collections of a month: payments of a business by day.
        Index("ix_khata_entries_business_kind_day", "business_id", "kind", "occurred_on"),
        # An entry is reversed at most once.
        UniqueConstraint("reverses_id"),
        CheckConstraint(
            "amount_minor <> 0 AND (kind = 'adjustment' OR reverses_id IS NOT NULL "
            "OR amount_minor > 0)",
            name="amount_sign",
        ),
    )

    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customers.id", ondelete="RESTRICT"))
    kind: Mapped[EntryKind] = mapped_column(enum_type(EntryKind, 16))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    occurred_on: Mapped[date] = mapped_column(Date)
    method: Mapped[PaymentMethod | None] = mapped_column(enum_type(PaymentMethod, 16))
    # The order the goods were sold under; no foreign key until the orders module lands.
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reference: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("khata_entries.id", ondelete="RESTRICT")
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


# The (few) reversals of a business, for the summary: a partial index, on the column itself.
Index(
    "ix_khata_entries_business_reversals",
    KhataEntry.business_id,
    postgresql_where=KhataEntry.reverses_id.is_not(None),
    sqlite_where=KhataEntry.reverses_id.is_not(None),
)


class KhataBalance(Base):
    """A customer's running khata balance (the sum of `effect` over their entries), kept in
    the same transaction as every entry (`haat.customers.balances`), so that the business
    summary reads 5,000 balances instead of summing 200,000 entries."""

    __tablename__ = "khata_balances"
    __table_args__ = (Index("ix_khata_balances_business_balance", "business_id", "balance_minor"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    balance_minor: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class KhataAgeingDay(Base):
    """What a customer's entries of one day add to their dues for FIFO ageing: the sum of
    the increases (credits, positive adjustments) of that day that were not reversed. Kept
    in the same transaction as every entry (`haat.customers.balances`); the business summary
    ages the last 90 days from these rows alone."""

    __tablename__ = "khata_ageing_days"
    __table_args__ = (
        # Covers the summary's scan: a business's recent days, per customer.
        Index(
            "ix_khata_ageing_days_business_day",
            "business_id",
            "day",
            "customer_id",
            "increase_minor",
        ),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    increase_minor: Mapped[int] = mapped_column(BigInteger)
