"""What the pages show of an order's money (the buyer's order page and the seller's): its
business's provider, its payments and milestones, the pending payment of each, and the
manual ways to pay. Plain data for the templates; no HTML here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order
from haat.core.money import PaymentMethod
from haat.identity.actor import Actor
from haat.payments import business_settings, charges, escrow
from haat.payments.models import Milestone, Payment, PaymentProvider, PaymentState

# The ways to pay a seller directly, which the seller confirms when the money arrives.
MANUAL_METHODS = (PaymentMethod.CASH, PaymentMethod.UPI, PaymentMethod.BANK_TRANSFER)


def manual_method(value: str) -> PaymentMethod | None:
    """The manual payment method a form chose (``cash``, ``upi``, ``bank_transfer``), or
    None for anything else."""
    return PaymentMethod(value) if value in MANUAL_METHODS else None


@dataclass(frozen=True)
class OrderMoney:
    """What an order's payment section shows: the business's provider, the order's payments
    (oldest first), its milestones, and the pending payment of each (None: the whole order)."""

    provider: PaymentProvider
    payments: list[Payment]
    milestones: list[Milestone]
    pending: dict[uuid.UUID | None, Payment]

    @property
    def payable_online(self) -> bool:
        return self.provider in (PaymentProvider.RAZORPAY, PaymentProvider.STRIPE)


async def order_money(session: AsyncSession, actor: Actor, order: Order) -> OrderMoney:
    """The payment section of ``order`` for ``actor`` (who may see it: its buyer or staff;
    404 otherwise)."""
    provider, _ = await business_settings.provider_of(session, order.business_id)
    payments = await charges.list_payments(session, actor, order.id)
    pending = {p.milestone_id: p for p in payments if p.status == PaymentState.PENDING}
    return OrderMoney(provider, payments, await escrow.milestones_of(session, order.id), pending)


def awaits_razorpay(payment: Payment) -> bool:
    """True for a Razorpay payment still pending: the buyer goes (back) to Razorpay's hosted
    checkout to pay it."""
    return payment.provider == PaymentProvider.RAZORPAY and payment.status == PaymentState.PENDING
