"""Request and response models of `/api/payments` and `/api/orders/{id}/milestones`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from haat.commerce.schemas import OrderStaffOut, WalkInLine
from haat.core.money import PaymentMethod
from haat.payments.models import MilestoneStatus, PaymentProvider, PaymentState

Note = Annotated[str | None, Field(None, max_length=2000)]


class PaymentSettingsIn(BaseModel):
    provider: PaymentProvider
    account_id: str | None = Field(
        None,
        max_length=100,
        description="Stripe connected account (acct_...) or Razorpay linked account (acc_...)",
    )


class PaymentSettingsOut(BaseModel):
    business_id: uuid.UUID
    provider: PaymentProvider
    account_id: str | None


class MilestoneIn(BaseModel):
    """One milestone: either ``amount_minor`` or ``percent_bp`` (3000 = 30 %)."""

    title: str = Field(min_length=1, max_length=200)
    amount_minor: int | None = Field(None, ge=1, le=2**62)
    percent_bp: int | None = Field(None, ge=1, le=10_000)

    @model_validator(mode="after")
    def _one_of(self) -> MilestoneIn:
        if (self.amount_minor is None) == (self.percent_bp is None):
            raise ValueError("give exactly one of amount_minor and percent_bp")
        return self


class MilestonesIn(BaseModel):
    milestones: list[MilestoneIn] = Field(max_length=10)


class MilestoneChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: MilestoneStatus | None
    to_status: MilestoneStatus
    actor_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class MilestoneOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    position: int
    title: str
    amount_minor: int
    currency: str
    percent_bp: int | None
    status: MilestoneStatus
    funded_at: datetime | None
    released_at: datetime | None
    refunded_at: datetime | None
    cancelled_at: datetime | None
    history: list[MilestoneChangeOut]


class ReleaseIn(BaseModel):
    note: Note = None


class PaymentIn(BaseModel):
    """Pay an order as a whole (no ``milestone_id``) or one of its milestones. ``method`` is
    for manual payments (cash on delivery, UPI, bank transfer); online providers ignore it."""

    milestone_id: uuid.UUID | None = None
    method: PaymentMethod | None = None


class PaymentChangeOut(BaseModel):
    """One move of a payment's status: ``actor_id`` None when its provider said so (a
    webhook); ``note`` says how (``confirmed by staff``, ``stripe webhook``, ...)."""

    model_config = ConfigDict(from_attributes=True)

    from_status: PaymentState | None
    to_status: PaymentState
    actor_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    order_id: uuid.UUID
    milestone_id: uuid.UUID | None
    business_id: uuid.UUID
    payer_id: uuid.UUID | None
    provider: PaymentProvider
    method: PaymentMethod | None
    status: PaymentState
    amount_minor: int
    currency: str
    provider_reference: str | None = Field(
        description="Stripe PaymentIntent (pi_...; a Checkout Session, cs_..., until it is"
        " paid) or Razorpay order (order_...)"
    )
    provider_payment_id: str | None
    transfer_reference: str | None
    refund_reference: str | None
    created_at: datetime
    succeeded_at: datetime | None
    released_at: datetime | None
    refunded_at: datetime | None
    failed_at: datetime | None
    history: list[PaymentChangeOut] = Field(description="every status it took, oldest first")


class PaymentStartOut(PaymentOut):
    """A new payment with what the buyer's browser needs to pay it."""

    client_secret: str | None = Field(description="Stripe: confirm the PaymentIntent with it")
    checkout: dict[str, str | int] | None = Field(
        None, description="Razorpay Checkout options (key, order_id, amount, currency)"
    )


class RazorpayCallbackIn(BaseModel):
    """What Razorpay Checkout hands the buyer's browser after paying."""

    razorpay_order_id: str = Field(min_length=1, max_length=100)
    razorpay_payment_id: str = Field(min_length=1, max_length=100)
    razorpay_signature: str = Field(min_length=1, max_length=200)


class WebhookOut(BaseModel):
    event_id: str
    outcome: str = Field(
        description="funded, late_refunded, failed, ignored, duplicate, unknown_payment, "
        "amount_mismatch or already_settled"
    )


class PostingOut(BaseModel):
    account: str
    amount_minor: int = Field(description="debit > 0, credit < 0")
    currency: str


class JournalEntryOut(BaseModel):
    id: uuid.UUID
    description: str
    idempotency_key: str | None
    created_at: datetime
    postings: list[PostingOut]


class TrialBalanceOut(BaseModel):
    totals: dict[str, int] = Field(description="sum of all postings per currency: always 0")


class CounterSaleIn(BaseModel):
    """A sale at the counter, paid there and then (cash, UPI, card or bank transfer)."""

    customer_id: uuid.UUID
    items: list[WalkInLine] = Field(min_length=1, max_length=100)
    method: PaymentMethod = PaymentMethod.CASH
    notes: str = Field("", max_length=2000)


class CounterSaleOut(BaseModel):
    order: OrderStaffOut
    payment: PaymentOut
