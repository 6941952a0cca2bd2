"""Stripe, through the official SDK (``stripe``, async calls over HTTPX).

Separate charges and transfers (Stripe Connect): the buyer pays a PaymentIntent into the
platform's account; on release a Transfer pays the seller's share to the business's connected
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
    Opened,
    Provider,
    ProviderError,
    ProviderPayment,
    WebhookEvent,
)

SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"


def _transfer_group(payment: ProviderPayment) -> str:
    return f"order-{payment.order_id}"


class StripeProvider(Provider):
    name: ClassVar[PaymentProvider] = PaymentProvider.STRIPE
    online: ClassVar[bool] = True

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

    async def open(self, payment: ProviderPayment) -> Opened:
        intent = await self._call(
            "create the payment",
            self.client.v1.payment_intents.create_async(
                params={
                    "amount": payment.amount_minor,
                    "currency": payment.currency.lower(),
                    "automatic_payment_methods": {"enabled": True},
                    "transfer_group": _transfer_group(payment),
                    "description": f"Haat order {payment.order_number}",
                    "metadata": {
                        "haat_payment_id": str(payment.id),
                        "haat_order_number": payment.order_number,
                    },
                },
                options={"idempotency_key": f"haat-open-{payment.id}"},
            ),
        )
        return Opened(reference=intent.id, client_secret=intent.client_secret)

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
        if payment.reference:
            await self._call(
                "cancel the payment",
                self.client.v1.payment_intents.cancel_async(
                    payment.reference,
                    options={"idempotency_key": f"haat-cancel-{payment.id}"},
                ),
            )

    def webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify ``Stripe-Signature`` and read a PaymentIntent event; other types are
        ``ignored``. Raises `BadSignature` for a bad or stale signature or a body that is
        not an event."""
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
        if event_type not in (SUCCEEDED, FAILED) or not isinstance(intent, dict):
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
