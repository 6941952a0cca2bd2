"""Razorpay, through the official SDK (``razorpay``; synchronous, so run in a thread).

The buyer pays a Razorpay Order in Razorpay Checkout, whose callback carries
``razorpay_order_id``, ``razorpay_payment_id`` and ``razorpay_signature`` =
HMAC-SHA256(key secret, ``order_id|payment_id``); Haat verifies it and fetches the payment
before counting it. Route (marketplace settlements): when the payment is funded, the seller's
share is transferred to the business's linked account (``acc_...``) *on hold*; releasing the
milestone lifts the hold; a refund reverses the transfer with it (``reverse_all``). Razorpay
has no idempotency keys, so each call that moves money first looks for the object an earlier
try made (by the payment id in its notes or receipt). Webhooks are verified with
``X-Razorpay-Signature`` = HMAC-SHA256(webhook secret, raw body) and keyed by
``X-Razorpay-Event-Id``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import razorpay
import requests
from razorpay.errors import BadRequestError, GatewayError, ServerError, SignatureVerificationError

from haat.payments.models import PaymentProvider
from haat.payments.providers.base import (
    BadSignature,
    Captured,
    Opened,
    Provider,
    ProviderError,
    ProviderPayment,
    ReturnUrls,
    WebhookEvent,
)

CAPTURED = "payment.captured"
FAILED = "payment.failed"
_ERRORS = (BadRequestError, GatewayError, ServerError, requests.RequestException, ValueError)


def _receipt(kind: str, payment: ProviderPayment) -> str:
    return f"{kind}-{payment.id.hex}"[:40]  # Razorpay receipts are at most 40 characters


def _captured(entity: Mapping[str, Any]) -> Captured:
    return Captured(
        reference=str(entity.get("order_id")),
        payment_id=str(entity.get("id")),
        amount_minor=int(entity.get("amount") or 0),
        currency=str(entity.get("currency", "")).upper(),
    )


class RazorpayProvider(Provider):
    name: ClassVar[PaymentProvider] = PaymentProvider.RAZORPAY
    online: ClassVar[bool] = True

    def __init__(
        self,
        key_id: str,
        key_secret: str,
        webhook_secret: str | None,
        api_base: str | None = None,
    ) -> None:
        self.key_id = key_id
        self.webhook_secret = webhook_secret
        options = {"base_url": api_base} if api_base else {}
        self.client = razorpay.Client(auth=(key_id, key_secret), **options)

    async def _call(self, what: str, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return await asyncio.to_thread(fn, *args)
        except _ERRORS as exc:
            raise ProviderError(f"Razorpay refused to {what}: {exc}", provider="razorpay") from exc

    async def open(self, payment: ProviderPayment, back: ReturnUrls | None = None) -> Opened:
        order = await self._call(
            "create the order",
            self.client.order.create,
            {
                "amount": payment.amount_minor,
                "currency": payment.currency,
                "receipt": _receipt("haat", payment),
                "notes": {
                    "haat_payment_id": str(payment.id),
                    "haat_order_number": payment.order_number,
                },
            },
        )
        return Opened(reference=str(order["id"]))

    async def verify_checkout(
        self, payment: ProviderPayment, fields: Mapping[str, str]
    ) -> Captured:
        """Check the callback's signature and that it names ``payment``'s Razorpay order,
        then fetch the payment (capturing it when it is only authorized) so that the amount
        counted is Razorpay's, not the browser's."""
        if fields.get("razorpay_order_id") != payment.reference:
            raise BadSignature("This Razorpay checkout result is for another order")
        try:
            self.client.utility.verify_payment_signature(dict(fields))
        except (SignatureVerificationError, KeyError) as exc:
            raise BadSignature(f"Razorpay checkout signature refused: {exc}") from None
        entity = await self._call(
            "read the payment", self.client.payment.fetch, fields["razorpay_payment_id"]
        )
        if entity.get("status") == "authorized":
            entity = await self._call(
                "capture the payment",
                self.client.payment.capture,
                entity["id"],
                entity["amount"],
                {"currency": entity["currency"]},
            )
        if entity.get("status") != "captured" or entity.get("order_id") != fields.get(
            "razorpay_order_id"
        ):
            raise ProviderError("Razorpay has not captured this payment for this order")
        return _captured(entity)

    async def _existing_transfer(self, payment: ProviderPayment) -> str | None:
        found = await self._call(
            "list transfers",
            self.client.transfer.all,
            {"payment_id": payment.provider_payment_id},
        )
        for item in found.get("items", []):
            if (item.get("notes") or {}).get("haat_payment_id") == str(payment.id):
                return str(item["id"])
        return None

    async def _transfer(self, payment: ProviderPayment, share: int, on_hold: bool) -> str:
        existing = await self._existing_transfer(payment)
        if existing:
            return existing
        made = await self._call(
            "transfer to the seller",
            self.client.payment.transfer,
            payment.provider_payment_id,
            {
                "transfers": [
                    {
                        "account": payment.account_id,
                        "amount": share,
                        "currency": payment.currency,
                        "on_hold": 1 if on_hold else 0,
                        "notes": {"haat_payment_id": str(payment.id)},
                    }
                ]
            },
        )
        return str(made["items"][0]["id"])

    async def hold(self, payment: ProviderPayment, share_minor: int) -> str | None:
        return await self._transfer(payment, share_minor, on_hold=True)

    async def release(self, payment: ProviderPayment, share_minor: int) -> str | None:
        if not payment.transfer_reference:
            return await self._transfer(payment, share_minor, on_hold=False)
        await self._call(
            "release the held transfer",
            self.client.transfer.edit,
            payment.transfer_reference,
            {"on_hold": 0},
        )
        return payment.transfer_reference

    async def refund(self, payment: ProviderPayment) -> str | None:
        receipt = _receipt("refund", payment)
        earlier = await self._call(
            "list refunds", self.client.payment.fetch_multiple_refund, payment.provider_payment_id
        )
        for item in earlier.get("items", []):
            if item.get("receipt") == receipt:
                return str(item["id"])
        made = await self._call(
            "refund",
            self.client.payment.refund,
            payment.provider_payment_id,
            {
                "amount": payment.amount_minor,
                "reverse_all": 1,
                "receipt": receipt,
                "notes": {"haat_payment_id": str(payment.id)},
            },
        )
        return str(made["id"])

    def webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify ``X-Razorpay-Signature`` and read a payment event; other types are
        ``ignored``. Raises `BadSignature`."""
        signature = headers.get("x-razorpay-signature") or ""
        try:
            text = body.decode()
            self.client.utility.verify_webhook_signature(text, signature, self.webhook_secret)
            event = json.loads(text)
            event_type = str(event["event"])
            entity = (event.get("payload", {}).get("payment") or {}).get("entity") or {}
        except (SignatureVerificationError, ValueError, KeyError, TypeError, AttributeError):
            raise BadSignature("Razorpay webhook signature refused") from None
        event_id = headers.get("x-razorpay-event-id") or f"{event_type}:{entity.get('id')}"
        if event_type == CAPTURED and entity:
            captured = _captured(entity)
            return WebhookEvent(event_id, event_type, "succeeded", captured.reference, captured)
        if event_type == FAILED and entity:
            return WebhookEvent(event_id, event_type, "failed", str(entity.get("order_id")))
        return WebhookEvent(event_id, event_type, "ignored")
