"""The one interface every payment provider implements, and the shapes it speaks in.

A provider opens a payment (an object the buyer pays against), and later moves money the
platform holds: an optional hold at funding (Razorpay Route), the seller's transfer on
release, the refund, the cancellation of an unpaid attempt. It also verifies and reads its
webhooks. Providers never touch the database: the services in `haat.payments` record what
they did, in the request's transaction, and post the ledger entries.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from haat.core.errors import HaatError
from haat.payments.models import Payment, PaymentProvider


class ProviderError(HaatError):
    """The provider refused the call or could not be reached (502); nothing was recorded."""

    status, code, title = 502, "payment_provider_error", "The payment provider refused the call"


class ProviderNotConfigured(HaatError):
    """The business's provider has no keys on this platform (503)."""

    status, code, title = (
        503,
        "payment_provider_not_configured",
        "This payment provider is not configured on the platform",
    )


class BadSignature(HaatError):
    """A webhook or checkout callback whose signature does not verify (400)."""

    status, code, title = 400, "bad_signature", "The signature does not verify"


@dataclass(frozen=True)
class ProviderPayment:
    """What a provider needs to know of a payment (a snapshot of its row)."""

    id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    amount_minor: int
    currency: str
    account_id: str | None
    reference: str | None
    provider_payment_id: str | None
    transfer_reference: str | None
    released: bool

    @classmethod
    def of(cls, payment: Payment, order_number: str) -> ProviderPayment:
        return cls(
            id=payment.id,
            order_id=payment.order_id,
            order_number=order_number,
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            account_id=payment.account_id,
            reference=payment.provider_reference,
            provider_payment_id=payment.provider_payment_id,
            transfer_reference=payment.transfer_reference,
            released=payment.released_at is not None,
        )


@dataclass(frozen=True)
class Opened:
    """The provider's object the buyer pays against (None for manual payments) and what the
    buyer's browser needs to pay it (Stripe's client secret)."""

    reference: str | None
    client_secret: str | None = None


@dataclass(frozen=True)
class Captured:
    """Money the provider says it received: its attempt ``reference`` (``pi_...`` or
    ``order_...``), the payment itself (``ch_...`` or ``pay_...``), amount in minor units and
    the upper-case currency."""

    reference: str
    payment_id: str | None
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class WebhookEvent:
    """A verified webhook: ``outcome`` says what it means for a payment (``succeeded`` with
    ``captured``, ``failed`` with ``reference``) or ``ignored`` for every other event type."""

    id: str
    type: str
    outcome: Literal["succeeded", "failed", "ignored"]
    reference: str | None = None
    captured: Captured | None = None


class Provider(ABC):
    """A payment provider. ``online`` providers hold the buyer's money in the platform's
    account (so the ledger debits ``platform:cash``); the manual one does not."""

    name: ClassVar[PaymentProvider]
    online: ClassVar[bool]
    needs_account: ClassVar[bool] = True

    @abstractmethod
    async def open(self, payment: ProviderPayment) -> Opened:
        """Create the object the buyer pays against. Raises `ProviderError`."""

    async def hold(self, payment: ProviderPayment, share_minor: int) -> str | None:
        """At funding: put the seller's share aside for the seller, not yet payable (Razorpay
        Route transfers on hold). Returns the transfer id, or None where nothing is done."""
        return None

    @abstractmethod
    async def release(self, payment: ProviderPayment, share_minor: int) -> str | None:
        """Pay the seller's share to the seller's account; returns the transfer id, or None
        where the seller already holds the money (manual)."""

    @abstractmethod
    async def refund(self, payment: ProviderPayment) -> str | None:
        """Give the whole payment back to the buyer, first reversing any transfer to the
        seller; returns the refund id (None for manual). Raises `ProviderError`."""

    async def cancel(self, payment: ProviderPayment) -> None:
        """Cancel an attempt nobody has paid yet (nothing to do by default)."""
        return None

    async def verify_checkout(self, fields: Mapping[str, str]) -> Captured:
        """Verify the buyer's checkout callback (Razorpay Checkout's signed ids) and return
        what was paid. Raises `BadSignature` (400) or `ProviderError` (502)."""
        raise BadSignature(f"{self.name.value} has no checkout callback")

    def webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify a webhook's signature and read it. Raises `BadSignature` (400)."""
        raise BadSignature(f"{self.name.value} sends no webhooks")
