"""Stripe, through the official SDK (``stripe``, async calls over HTTPX).

Separate charges and transfers (Stripe Connect): the buyer pays a PaymentIntent into the
platform's account, either confirmed by the buyer's app with its client secret (Stripe.js, a
mobile SDK) or, from Haat's own pages (whose Content-Security-Policy admits no outside
script), on Stripe Checkout's hosted page: a Checkout Session (``cs_...``) the browser is
redirected to and back from, whose PaymentIntent exists only once the buyer has paid. Haat
then reads the session back from the API (on the buyer's return or on the
``checkout.session.*`` webhook), and the PaymentIntent (``pi_...``) and its charge replace the
session as the payment's reference, so that transfers and refunds work as for the other path.
On release a Transfer pays the seller's share to the business's connected
account (``acct_...``), tied to the charge by ``source_transaction`` and to the order by
``transfer_group``; a refund of released money first reverses that transfer. Every call that
moves money carries an idempotency key derived from the payment's id, so a retried request
(after a failed commit, say) never moves money twice. Webhooks are verified with the
endpoint's signing secret (``Stripe-Signature: t=...,v1=...``, HMAC-SHA256, 5-minute
tolerance). Amounts are ISO 4217 minor units, which is what Stripe expects for the
currencies Haat sells in (INR, USD, EUR, GBP, JPY, ...).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

import stripe

from haat.payments.models import PaymentProvider
from haat.payments.providers.base import (
    BadSignature,
    Captured,
    NotPaid,
    Opened,
    Provider,
    ProviderError,
    ProviderPayment,
    ReturnUrls,
    WebhookEvent,
)

SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"
CHECKOUT_PAID = ("checkout.session.completed", "checkout.session.async_payment_succeeded")
CHECKOUT_FAILED = ("checkout.session.async_payment_failed", "checkout.session.expired")
SESSION_PREFIX = "cs_"


def _transfer_group(payment: ProviderPayment) -> str:
    return f"order-{payment.order_id}"


def _metadata(payment: ProviderPayment) -> dict[str, str]:
    return {"haat_payment_id": str(payment.id), "haat_order_number": payment.order_number}


def _id_of(value: Any) -> str | None:
    """The id of an expandable field: the object's ``id``, or the id string itself."""
    if value is None:
        return None
    return str(value if isinstance(value, str) else value["id"])


class StripeProvider(Provider):
    name: ClassVar[PaymentProvider] = PaymentProvider.STRIPE
    online: ClassVar[bool] = True
    redirects: ClassVar[bool] = True

    def __init__(
        self,
        secret_key: str,
        webhook_secret: str | None,
        api_base: str | None = None,
        *,
        timeout_s: float = 20.0,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.http = stripe.HTTPXClient(timeout=timeout_s)
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=self.http,
            max_network_retries=2,
        )

    async def aclose(self) -> None:
        await self.http.close_async()

    async def _call(self, what: str, coro: Any) -> Any:
        try:
            return await coro
        except stripe.StripeError as exc:
            raise ProviderError(
                f"Stripe refused to {what}: {exc.user_message or exc}", provider="stripe"
            ) from exc

    async def open(self, payment: ProviderPayment, back: ReturnUrls | None = None) -> Opened:
        """A PaymentIntent (with its client secret) or, with ``back``, a Checkout Session in
        ``payment`` mode (with its hosted page's URL)."""
        if back is not None:
            return await self._open_checkout(payment, back)
        intent = await self._call(
            "create the payment",
            self.client.v1.payment_intents.create_async(
                params={
                    "amount": payment.amount_minor,
                    "currency": payment.currency.lower(),
                    "automatic_payment_methods": {"enabled": True},
                    "transfer_group": _transfer_group(payment),
                    "description": f"Haat order {payment.order_number}",
                    "metadata": _metadata(payment),
                },
                options={"idempotency_key": f"haat-open-{payment.id}"},
            ),
        )
        return Opened(reference=intent.id, client_secret=intent.client_secret)

    async def _open_checkout(self, payment: ProviderPayment, back: ReturnUrls) -> Opened:
        """One line (the order, or its milestone, at the payment's amount); the PaymentIntent
        it makes carries the transfer group and metadata of the other path. The session keeps
        Stripe's default lifetime (24 hours): a clock-derived ``expires_at`` would make a
        retry under the same idempotency key differ from the first call, which Stripe
        refuses; an abandoned session is expired when its order is cancelled."""
        separator = "&" if "?" in back.success else "?"
        session = await self._call(
            "open the checkout",
            self.client.v1.checkout.sessions.create_async(
                params={
                    "mode": "payment",
                    "line_items": [
                        {
                            "quantity": 1,
                            "price_data": {
                                "currency": payment.currency.lower(),
                                "unit_amount": payment.amount_minor,
                                "product_data": {"name": f"Haat order {payment.order_number}"},
                            },
                        }
                    ],
                    "payment_intent_data": {
                        "transfer_group": _transfer_group(payment),
                        "description": f"Haat order {payment.order_number}",
                        "metadata": _metadata(payment),
                    },
                    "metadata": _metadata(payment),
                    "client_reference_id": str(payment.id),
                    # Stripe puts the session's id in place of the template on the way back.
                    "success_url": f"{back.success}{separator}session_id={{CHECKOUT_SESSION_ID}}",
                    "cancel_url": back.cancel,
                },
                options={"idempotency_key": f"haat-checkout-{payment.id}"},
            ),
        )
        return Opened(reference=session.id, redirect_url=session.url)

    async def _session(self, payment: ProviderPayment) -> Any:
        """The payment's Checkout Session with its PaymentIntent and charge; raises `NotPaid`
        for a payment that is no Checkout Session (yet), `ProviderError` for a session of
        another payment."""
        if not (payment.reference or "").startswith(SESSION_PREFIX):
            raise NotPaid("This payment has no Stripe Checkout Session")
        session = await self._call(
            "read the checkout",
            self.client.v1.checkout.sessions.retrieve_async(
                payment.reference or "", params={"expand": ["payment_intent.latest_charge"]}
            ),
        )
        if session.client_reference_id != str(payment.id):
            raise ProviderError("This Stripe Checkout Session is for another payment")
        return session

    async def verify_checkout(
        self, payment: ProviderPayment, fields: Mapping[str, str]
    ) -> Captured:
        """Read the payment's Checkout Session from the API: only its ``session_id`` is taken
        from the browser, and it must be the one recorded. Paid (``payment_status``
        ``paid``), the PaymentIntent's amount received and its charge are returned; else
        `NotPaid` (``expired`` once the session can no longer be paid)."""
        given = fields.get("session_id")
        if given is not None and given != payment.reference:
            raise BadSignature("This Stripe Checkout Session is not this payment's")
        session = await self._session(payment)
        if session.payment_status != "paid" or not session.payment_intent:
            raise NotPaid(
                "Stripe has not received this payment", expired=session.status == "expired"
            )
        intent = session.payment_intent  # expanded, with its latest charge
        return Captured(
            reference=str(intent.id),
            payment_id=_id_of(intent.latest_charge),
            amount_minor=int(intent.amount_received or 0),
            currency=str(intent.currency).upper(),
        )

    async def checkout_url(self, payment: ProviderPayment) -> str | None:
        """The URL of the payment's Checkout Session while it is ``open``."""
        if not (payment.reference or "").startswith(SESSION_PREFIX):
            return None
        session = await self._session(payment)
        return str(session.url) if session.status == "open" and session.url else None

    async def release(self, payment: ProviderPayment, share_minor: int) -> str | None:
        params: dict[str, Any] = {
            "amount": share_minor,
            "currency": payment.currency.lower(),
            "destination": payment.account_id,
            "transfer_group": _transfer_group(payment),
            "metadata": {"haat_payment_id": str(payment.id)},
        }
        if payment.provider_payment_id:
            params["source_transaction"] = payment.provider_payment_id
        transfer = await self._call(
            "transfer to the seller",
            self.client.v1.transfers.create_async(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": f"haat-release-{payment.id}"},
            ),
        )
        return str(transfer.id)

    async def refund(self, payment: ProviderPayment) -> str | None:
        if payment.released and payment.transfer_reference:
            await self._call(
                "reverse the seller's transfer",
                self.client.v1.transfers.reversals.create_async(
                    payment.transfer_reference,
                    params={"metadata": {"haat_payment_id": str(payment.id)}},
                    options={"idempotency_key": f"haat-untransfer-{payment.id}"},
                ),
            )
        refund = await self._call(
            "refund",
            self.client.v1.refunds.create_async(
                params={
                    "payment_intent": payment.reference or "",
                    "amount": payment.amount_minor,
                    "metadata": {"haat_payment_id": str(payment.id)},
                },
                options={"idempotency_key": f"haat-refund-{payment.id}"},
            ),
        )
        return str(refund.id)

    async def cancel(self, payment: ProviderPayment) -> None:
        """Cancel the PaymentIntent, or expire the Checkout Session while it is open."""
        if (payment.reference or "").startswith(SESSION_PREFIX):
            if await self.checkout_url(payment) is not None:
                await self._call(
                    "expire the checkout",
                    self.client.v1.checkout.sessions.expire_async(
                        payment.reference or "",
                        options={"idempotency_key": f"haat-expire-{payment.id}"},
                    ),
                )
        elif payment.reference:
            await self._call(
                "cancel the payment",
                self.client.v1.payment_intents.cancel_async(
                    payment.reference,
                    options={"idempotency_key": f"haat-cancel-{payment.id}"},
                ),
            )

    def webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify ``Stripe-Signature`` and read a PaymentIntent or Checkout Session event;
        other types are ``ignored``. A session paid (``checkout.session.completed`` with
        ``payment_status`` ``paid``, or ``...async_payment_succeeded``) is a ``checkout``
        outcome, read back from the API before it counts; one that failed or expired is
        ``failed``. (The ``payment_intent.*`` events of a session's PaymentIntent name no
        payment Haat knows until the session's completion has recorded it.) Raises
        `BadSignature` for a bad or stale signature or a body that is not an event."""
        try:
            stripe.WebhookSignature.verify_header(
                body,
                headers.get("stripe-signature"),
                self.webhook_secret,
                tolerance=stripe.Webhook.DEFAULT_TOLERANCE,  # 300 s, against replays
            )
            event = json.loads(body)
            event_id, event_type = str(event["id"]), str(event["type"])
            intent = event["data"]["object"]
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as exc:
            raise BadSignature(f"Stripe webhook refused: {exc}") from None
        if not isinstance(intent, dict):
            return WebhookEvent(event_id, event_type, "ignored")
        if event_type in CHECKOUT_PAID + CHECKOUT_FAILED:
            return _checkout_event(event_id, event_type, intent)
        if event_type not in (SUCCEEDED, FAILED):
            return WebhookEvent(event_id, event_type, "ignored")
        reference = str(intent.get("id"))
        if event_type == FAILED:
            return WebhookEvent(event_id, event_type, "failed", reference=reference)
        charge = intent.get("latest_charge")
        if isinstance(charge, dict):
            charge = charge.get("id")
        captured = Captured(
            reference=reference,
            payment_id=str(charge) if charge else None,
            amount_minor=int(intent.get("amount_received") or intent.get("amount") or 0),
            currency=str(intent.get("currency", "")).upper(),
        )
        return WebhookEvent(event_id, event_type, "succeeded", reference, captured)


def _checkout_event(event_id: str, event_type: str, checkout: dict[str, Any]) -> WebhookEvent:
    reference = str(checkout.get("id"))
    if event_type in CHECKOUT_FAILED:
        return WebhookEvent(event_id, event_type, "failed", reference=reference)
    if checkout.get("payment_status") != "paid":  # a delayed method: its result comes later
        return WebhookEvent(event_id, event_type, "ignored")
    payment_id = checkout.get("client_reference_id")
    return WebhookEvent(
        event_id,
        event_type,
        "checkout",
        reference=reference,
        payment_id=str(payment_id) if payment_id else None,
    )
