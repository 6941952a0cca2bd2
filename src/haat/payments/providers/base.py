"""The one interface every payment provider implements, and the shapes it speaks in.

A provider opens a payment (an object the buyer pays against; for a browser, optionally a
hosted page the buyer is redirected to and sent back from), and later moves money the
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


class NotPaid(HaatError):
    """The provider's hosted checkout has not (yet) received the money (409); ``expired``
    when it can no longer be paid there."""

    status, code, title = 409, "payment_not_completed", "The provider has not received this payment"

    def __init__(self, detail: str | None = None, *, expired: bool = False) -> None:
        super().__init__(detail, expired=expired)
        self.expired = expired


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
class ReturnUrls:
    """Where a provider's hosted payment page sends the buyer's browser back to: ``success``
    after paying (the provider may add its own query parameters, such as Stripe's
    ``session_id``) and ``cancel`` when the buyer leaves without paying. Absolute URLs."""

    success: str
    cancel: str


@dataclass(frozen=True)
class Opened:
    """The provider's object the buyer pays against (None for manual payments) and what the
    buyer's browser needs to pay it: Stripe's client secret (a PaymentIntent confirmed by
    Stripe.js or a mobile SDK) or ``redirect_url``, the hosted page to send it to (a Stripe
    Checkout Session)."""

    reference: str | None
    client_secret: str | None = None
    redirect_url: str | None = None


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
    ``captured``; ``failed`` with ``reference``; ``checkout``: the hosted checkout
    ``reference`` completed, to be read back with `Provider.verify_checkout` before it counts)
    or ``ignored`` for every other event type. ``payment_id``, for ``checkout``: Haat's
    payment id as the checkout carries it (Stripe's ``client_reference_id``), which finds the
    payment once its reference is no longer the checkout's (the PaymentIntent replaced it)."""

    id: str
    type: str
    outcome: Literal["succeeded", "failed", "checkout", "ignored"]
    reference: str | None = None
    captured: Captured | None = None
    payment_id: str | None = None


class Provider(ABC):
    """A payment provider. ``online`` providers hold the buyer's money in the platform's
    account (so the ledger debits ``platform:cash``); the manual one does not. Those that
    ``redirect`` send a browser to their hosted page (`open` with return URLs,
    `checkout_url`) and read the result back (`verify_checkout`)."""

    name: ClassVar[PaymentProvider]
    online: ClassVar[bool]
    needs_account: ClassVar[bool] = True
    redirects: ClassVar[bool] = False  # a browser pays on a hosted page it is redirected to

    @abstractmethod
    async def open(self, payment: ProviderPayment, back: ReturnUrls | None = None) -> Opened:
        """Create the object the buyer pays against. With ``back`` (a browser will pay it),
        a provider with a hosted page reached by redirect (Stripe Checkout) opens that page
        and returns its ``redirect_url``; the others ignore it (Razorpay's page is given its
        URLs by the browser's form). Raises `ProviderError`."""

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

    async def verify_checkout(
        self, payment: ProviderPayment, fields: Mapping[str, str]
    ) -> Captured:
        """Check with the provider that ``payment`` was paid on its checkout and return what
        was received: ``fields`` are what the buyer's browser brought back (Razorpay
        Checkout's signed ids, Stripe's ``session_id``), or empty when a webhook asks. Raises
        `BadSignature` (400: the fields do not verify or name another payment), `NotPaid`
        (409) or `ProviderError` (502)."""
        raise BadSignature(f"{self.name.value} has no checkout callback")

    async def checkout_url(self, payment: ProviderPayment) -> str | None:
        """The hosted page where the buyer can still pay ``payment`` (an open Stripe Checkout
        Session), or None when there is none or it can no longer be paid there."""
        return None

    def webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify a webhook's signature and read it. Raises `BadSignature` (400)."""
        raise BadSignature(f"{self.name.value} sends no webhooks")
