"""Payments tables: the double-entry ledger (accounts, journal entries, postings), payments of
orders and escrow milestones, each with its status history (their machines are in
`haat.payments.states`), each business's provider settings, and the webhook events received.

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
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from haat.core.db import Base, IdMixin, TimestampMixin, enum_type
from haat.core.money import PaymentMethod


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


# --- Payments of orders, escrow milestones, provider settings and webhook events -------------


class PaymentProvider(enum.StrEnum):
    """Who moves the money: the seller's staff by hand, Stripe or Razorpay."""

    MANUAL = "manual"
    STRIPE = "stripe"
    RAZORPAY = "razorpay"


class PaymentState(enum.StrEnum):
    """A payment's life: pending until the provider (or the seller's staff) confirms it."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class MilestoneStatus(enum.StrEnum):
    PENDING = "pending"
    FUNDED = "funded"
    RELEASED = "released"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"  # never funded, and the order was cancelled


class PaymentSettings(TimestampMixin, Base):
    """A business's choice of provider and its account there (Stripe connected account
    ``acct_...`` or Razorpay Route linked account ``acc_...``). No row: manual."""

    __tablename__ = "business_payment_settings"

    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), unique=True
    )
    provider: Mapped[PaymentProvider] = mapped_column(enum_type(PaymentProvider, 16))
    account_id: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class Milestone(TimestampMixin, Base):
    """One escrowed part of an order's total (e.g. 30 % advance at production start)."""

    __tablename__ = "order_milestones"
    __table_args__ = (UniqueConstraint("order_id", "position"),)

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    percent_bp: Mapped[int | None]  # set when the split was given in percentages
    status: Mapped[MilestoneStatus] = mapped_column(enum_type(MilestoneStatus, 16))
    funded_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    history: Mapped[list[MilestoneStatusChange]] = relationship(
        lazy="raise", order_by="MilestoneStatusChange.created_at"
    )


class MilestoneStatusChange(IdMixin, Base):
    __tablename__ = "order_milestone_changes"

    milestone_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("order_milestones.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[MilestoneStatus | None] = mapped_column(enum_type(MilestoneStatus, 16))
    to_status: Mapped[MilestoneStatus] = mapped_column(enum_type(MilestoneStatus, 16))
    note: Mapped[str | None] = mapped_column(Text)


class PaymentStatusChange(IdMixin, Base):
    """One move of a payment's status: who (None: the provider's webhook), from, to, why."""

    __tablename__ = "payment_status_changes"

    payment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("payments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[PaymentState | None] = mapped_column(enum_type(PaymentState, 16))
    to_status: Mapped[PaymentState] = mapped_column(enum_type(PaymentState, 16))
    note: Mapped[str | None] = mapped_column(Text)


class Payment(TimestampMixin, Base):
    """A buyer's payment of an order, or of one milestone of it, through one provider.

    ``provider_reference`` is the provider's object for the attempt (Stripe PaymentIntent
    ``pi_...``, Razorpay order ``order_...``); ``provider_payment_id`` the money itself (Stripe
    charge ``ch_...``, Razorpay payment ``pay_...``); ``transfer_reference`` the transfer to
    the seller (Stripe ``tr_...``, Razorpay Route ``trf_...``). ``commission_bp`` is the
    platform's commission when the payment was opened, applied on release.
    """

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("created_by", "idempotency_key"),
        UniqueConstraint("provider", "provider_reference"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id"), index=True)
    # SET NULL: replacing an unpaid order's milestones keeps its failed attempts' rows.
    milestone_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("order_milestones.id", ondelete="SET NULL"), index=True
    )
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id"), index=True)
    payer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    provider: Mapped[PaymentProvider] = mapped_column(enum_type(PaymentProvider, 16))
    method: Mapped[PaymentMethod | None] = mapped_column(enum_type(PaymentMethod, 16))
    status: Mapped[PaymentState] = mapped_column(enum_type(PaymentState, 16))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    commission_bp: Mapped[int]
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[str | None] = mapped_column(String(100))
    provider_reference: Mapped[str | None] = mapped_column(String(100))
    provider_payment_id: Mapped[str | None] = mapped_column(String(100))
    client_secret: Mapped[str | None] = mapped_column(String(300))
    transfer_reference: Mapped[str | None] = mapped_column(String(100))
    refund_reference: Mapped[str | None] = mapped_column(String(100))
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    succeeded_at: Mapped[datetime | None]
    released_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]

    history: Mapped[list[PaymentStatusChange]] = relationship(
        lazy="raise", order_by="PaymentStatusChange.created_at"
    )


class ProviderEvent(IdMixin, Base):
    """A webhook event received from a provider, once: re-deliveries find it and stop."""

    __tablename__ = "payment_provider_events"
    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    provider: Mapped[PaymentProvider] = mapped_column(enum_type(PaymentProvider, 16))
    event_id: Mapped[str] = mapped_column(String(120))
    event_type: Mapped[str] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(40))
