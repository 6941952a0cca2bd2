"""Request and response models of `/api/customers` and `/api/khata`.

Money is integer minor units (``*_minor``) of an ISO 4217 ``currency``; dates are ISO 8601.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator

from haat.core.dates import IsoDate
from haat.core.money import PaymentMethod
from haat.customers.models import EntryKind
from haat.identity.schemas import Currency, Language, Name, Phone

MAX_AMOUNT_MINOR = 10**13
EARLIEST_DAY = date(2000, 1, 1)


def latest_allowed_day() -> date:
    """The latest ``occurred_on`` accepted: today somewhere on Earth (UTC+14), so that a shop
    east of Greenwich may record its own today before UTC's date turns."""
    return (datetime.now(UTC) + timedelta(hours=14)).date()


def utc_today() -> date:
    """Today's date in UTC (khata days, statements and the summary are UTC)."""
    return datetime.now(UTC).date()


Text = Annotated[str, Field(max_length=2000)]


class CustomerCreate(BaseModel):
    business_id: uuid.UUID
    name: Name
    phone: Phone
    email: EmailStr | None = None
    address: Text = ""
    notes: Text = ""
    preferred_language: Language = "en"


class CustomerUpdate(BaseModel):
    """Fields to change; null leaves a required field as it is and clears ``email``."""

    name: Name | None = None
    phone: Phone | None = None
    email: EmailStr | None = None
    address: Text | None = None
    notes: Text | None = None
    preferred_language: Language | None = None
    archived: bool | None = None


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    business_id: uuid.UUID
    name: str
    phone: str
    email: str | None
    address: str
    notes: str
    preferred_language: str
    archived: bool
    created_at: datetime
    updated_at: datetime


class EntryCreate(BaseModel):
    """A new khata entry.

    ``amount_minor`` is positive for ``credit`` and ``payment`` and non-zero (either sign) for
    ``adjustment``. ``method`` is required for payments and refused otherwise; ``order_id``
    only goes with credits. ``occurred_on`` defaults to today (UTC) and may not be in the
    future.
    """

    customer_id: uuid.UUID
    kind: EntryKind
    amount_minor: int = Field(ge=-MAX_AMOUNT_MINOR, le=MAX_AMOUNT_MINOR)
    currency: Currency = "INR"
    occurred_on: IsoDate = Field(default_factory=utc_today, validate_default=True)
    method: PaymentMethod | None = Field(None, validate_default=True)
    order_id: uuid.UUID | None = Field(None, validate_default=True)
    reference: Annotated[str, Field(max_length=120)] | None = None
    description: Text = ""

    @field_validator("amount_minor")
    @classmethod
    def _amount_sign(cls, value: int, info: ValidationInfo) -> int:
        kind = info.data.get("kind")
        if value == 0:
            raise ValueError("amount must not be zero")
        if kind in (EntryKind.CREDIT, EntryKind.PAYMENT) and value < 0:
            raise ValueError(f"a {kind} amount is positive; use an adjustment or a reversal")
        return value

    @field_validator("occurred_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > latest_allowed_day():
            raise ValueError("occurred_on may not be in the future")
        if value < EARLIEST_DAY:
            raise ValueError(f"occurred_on may not be before {EARLIEST_DAY.isoformat()}")
        return value

    @field_validator("method", mode="before")
    @classmethod
    def _bank_is_a_bank_transfer(cls, value: object) -> object:
        # The khata's own list once said "bank"; one list of methods now says "bank_transfer".
        return PaymentMethod.BANK_TRANSFER if value == "bank" else value

    @field_validator("method")
    @classmethod
    def _method_for_payments(
        cls, value: PaymentMethod | None, info: ValidationInfo
    ) -> PaymentMethod | None:
        kind = info.data.get("kind")
        if kind == EntryKind.PAYMENT and value is None:
            raise ValueError("a payment needs its method: cash, upi, card or bank_transfer")
        if kind is not None and kind != EntryKind.PAYMENT and value is not None:
            raise ValueError("only payments have a method")
        return value

    @field_validator("order_id")
    @classmethod
    def _order_for_credits(cls, value: uuid.UUID | None, info: ValidationInfo) -> uuid.UUID | None:
        kind = info.data.get("kind")
        if value is not None and kind is not None and kind != EntryKind.CREDIT:
            raise ValueError("only credit entries refer to an order")
        return value


class ReverseIn(BaseModel):
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class EntryOut(BaseModel):
    """A khata entry as stored. ``effect_minor`` is its signed effect on the balance."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    business_id: uuid.UUID
    customer_id: uuid.UUID
    kind: EntryKind
    amount_minor: int
    effect_minor: int
    currency: str
    occurred_on: date
    method: PaymentMethod | None
    order_id: uuid.UUID | None
    reference: str | None
    description: str
    reverses_id: uuid.UUID | None
    reversed_by_id: uuid.UUID | None = None
    created_by_id: uuid.UUID | None
    created_at: datetime


class BalanceOut(BaseModel):
    """What the customer owes: ``balance_minor`` = credits - payments + adjustments.
    Negative means the business holds an advance."""

    customer_id: uuid.UUID
    currency: str | None
    balance_minor: int
    credits_minor: int
    payments_minor: int
    adjustments_minor: int
    entries: int
    last_entry_on: date | None


class StatementFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    PDF = "pdf"


class StatementLine(BaseModel):
    entry_id: uuid.UUID
    occurred_on: date
    kind: EntryKind
    method: PaymentMethod | None
    reference: str | None
    description: str
    reverses_id: uuid.UUID | None
    effect_minor: int = Field(description="signed change of the balance")
    balance_minor: int = Field(description="running balance after this entry")


class StatementOut(BaseModel):
    """Entries of ``date_from``..``date_to`` (inclusive) between the opening balance (every
    entry before ``date_from``) and the closing balance."""

    customer: CustomerOut
    business_name: str
    currency: str | None
    date_from: date | None
    date_to: date
    opening_balance_minor: int
    lines: list[StatementLine]
    closing_balance_minor: int


class Ageing(BaseModel):
    """Outstanding balance by the age of the credits it comes from (FIFO), minor units."""

    days_0_30: int
    days_31_60: int
    days_61_90: int
    days_over_90: int


class SummaryOut(BaseModel):
    """A business's khata at a glance. ``total_receivable_minor`` sums the positive balances
    (what customers owe); ``advances_minor`` the negative ones (what the business holds)."""

    business_id: uuid.UUID
    currency: str | None
    as_of: date
    total_receivable_minor: int
    advances_minor: int
    customers_with_dues: int
    ageing: Ageing
    collections_this_month_minor: int


class ReminderOut(BaseModel):
    customer_id: uuid.UUID
    phone: str
    language: str
    balance_minor: int
    currency: str
    text: str
