"""A fake of the Razorpay API calls Haat makes: Orders, Payments (fetch, capture), Route
transfers from a payment (on hold, released by editing ``on_hold``), refunds with
``reverse_all``. JSON requests, HTTP Basic key id + secret, Razorpay's error envelope. Test
helpers pay an order and build the webhook Razorpay would send."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import string
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

_ALPHABET = string.ascii_letters + string.digits


def _id(prefix: str) -> str:
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(14))


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": "BAD_REQUEST_ERROR", "description": description}}, status_code=status
    )


def _collection(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"entity": "collection", "count": len(items), "items": items}


class FakeRazorpay:
    def __init__(self, key_id: str, key_secret: str) -> None:
        self.key_id, self.key_secret = key_id, key_secret
        self.auth = "Basic " + base64.b64encode(f"{key_id}:{key_secret}".encode()).decode()
        self.orders: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.transfers: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.fail: dict[str, tuple[int, str]] = {}
        self.app = Starlette(
            routes=[
                Route("/v1/orders", self._create_order, methods=["POST"]),
                Route("/v1/payments/{id}", self._fetch_payment, methods=["GET"]),
                Route("/v1/payments/{id}/capture", self._capture, methods=["POST"]),
                Route("/v1/payments/{id}/transfers", self._transfers, methods=["GET", "POST"]),
                Route("/v1/transfers/{id}", self._edit_transfer, methods=["PATCH"]),
                Route("/v1/payments/{id}/refund", self._refund, methods=["POST"]),
                Route("/v1/payments/{id}/refunds", self._list_refunds, methods=["GET"]),
                # Razorpay's hosted checkout: a page the buyer's browser is sent to by a form.
                Route("/v1/checkout/embedded", self._checkout_page, methods=["POST"]),
                Route("/v1/checkout/embedded/pay", self._checkout_pay, methods=["POST"]),
            ]
        )

    # --- test helpers -------------------------------------------------------------------

    def pay(self, order_id: str, *, capture: bool = True) -> dict[str, Any]:
        """The buyer pays the order in Razorpay Checkout: returns the payment entity."""
        order = self.orders[order_id]
        payment = {
            "id": _id("pay"),
            "entity": "payment",
            "amount": order["amount"],
            "currency": order["currency"],
            "status": "captured" if capture else "authorized",
            "order_id": order_id,
            "method": "upi",
            "captured": capture,
            "created_at": int(time.time()),
        }
        self.payments[payment["id"]] = payment
        order.update(status="paid", amount_paid=order["amount"], amount_due=0)
        return payment

    def event(self, kind: str, payment: dict[str, Any]) -> dict[str, Any]:
        return {
            "entity": "event",
            "account_id": "acc_PlatformAcct01",
            "event": kind,
            "contains": ["payment"],
            "payload": {"payment": {"entity": dict(payment)}},
            "created_at": int(time.time()),
        }

    def checkout_signature(self, order_id: str, payment_id: str) -> str:
        """Razorpay Checkout's ``razorpay_signature``: HMAC-SHA256(key secret,
        ``order_id|payment_id``), hex."""
        message = f"{order_id}|{payment_id}".encode()
        return hmac.new(self.key_secret.encode(), message, hashlib.sha256).hexdigest()

    # --- the hosted checkout ------------------------------------------------------------

    @staticmethod
    def _form_page(action: str, fields: dict[str, str], button: str, auto: bool) -> HTMLResponse:
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in fields.items()
        )
        script = "<script>document.forms[0].submit()</script>" if auto else ""
        return HTMLResponse(
            "<!doctype html><html lang=en><title>Razorpay (fake)</title><body>"
            f'<form method="post" action="{html.escape(action)}">{inputs}'
            f'<button type="submit">{html.escape(button)}</button></form>{script}</body></html>'
        )

    async def _checkout_page(self, request: Request) -> HTMLResponse:
        """The buyer arrives with key_id, order_id, callback_url...; a Pay button."""
        form = {k: str(v) for k, v in (await request.form()).items()}
        self.requests.append((request.method, request.url.path, form))
        order = self.orders.get(form.get("order_id", ""))
        if form.get("key_id") != self.key_id or order is None or not form.get("callback_url"):
            return HTMLResponse("<!doctype html><title>Bad checkout</title>", status_code=400)
        fields = {"order_id": order["id"], "callback_url": form["callback_url"]}
        return self._form_page("/v1/checkout/embedded/pay", fields, "Pay", auto=False)

    async def _checkout_pay(self, request: Request) -> HTMLResponse:
        """The buyer paid: back to the merchant's callback_url with the signed result,
        posted by the page itself as Razorpay's does."""
        form = {k: str(v) for k, v in (await request.form()).items()}
        payment = self.pay(form["order_id"])
        fields = {
            "razorpay_payment_id": payment["id"],
            "razorpay_order_id": form["order_id"],
            "razorpay_signature": self.checkout_signature(form["order_id"], payment["id"]),
        }
        return self._form_page(form["callback_url"], fields, "Back to the shop", auto=True)

    # --- the API ------------------------------------------------------------------------

    async def _begin(self, request: Request) -> tuple[Any, JSONResponse | None]:
        raw = await request.body()
        body = json.loads(raw) if raw else dict(request.query_params)
        self.requests.append((request.method, request.url.path, body))
        if request.headers.get("authorization") != self.auth:
            return body, _error(401, "Authentication failed")
        for prefix, (status, message) in list(self.fail.items()):
            if request.url.path.startswith(prefix):
                del self.fail[prefix]
                return body, _error(status, message)
        return body, None

    async def _create_order(self, request: Request) -> JSONResponse:
        body, early = await self._begin(request)
        if early:
            return early
        if not isinstance(body.get("amount"), int) or body["amount"] < 100:
            return _error(400, "The amount must be atleast INR 1.00")
        order = {
            "id": _id("order"),
            "entity": "order",
            "amount": body["amount"],
            "amount_paid": 0,
            "amount_due": body["amount"],
            "currency": body["currency"],
            "receipt": body.get("receipt"),
            "status": "created",
            "attempts": 0,
            "notes": body.get("notes", {}),
            "created_at": int(time.time()),
        }
        self.orders[order["id"]] = order
        return JSONResponse(order)

    def _payment(self, request: Request) -> dict[str, Any] | None:
        return self.payments.get(request.path_params["id"])

    async def _fetch_payment(self, request: Request) -> JSONResponse:
        _, early = await self._begin(request)
        payment = self._payment(request)
        return early or (
            JSONResponse(payment) if payment else _error(400, "The id provided does not exist")
        )

    async def _capture(self, request: Request) -> JSONResponse:
        body, early = await self._begin(request)
        payment = self._payment(request)
        if early or payment is None:
            return early or _error(400, "The id provided does not exist")
        if payment["status"] != "authorized" or body.get("amount") != payment["amount"]:
            return _error(400, "This payment has already been captured")
        payment.update(status="captured", captured=True)
        return JSONResponse(payment)

    async def _transfers(self, request: Request) -> JSONResponse:
        body, early = await self._begin(request)
        payment = self._payment(request)
        if early or payment is None:
            return early or _error(400, "The id provided does not exist")
        if request.method == "GET":
            return JSONResponse(
                _collection([t for t in self.transfers.values() if t["source"] == payment["id"]])
            )
        made = []
        for item in body.get("transfers", []):
            if not str(item.get("account", "")).startswith("acc_"):
                return _error(400, "The account id is invalid")
            transfer = {
                "id": _id("trf"),
                "entity": "transfer",
                "source": payment["id"],
                "recipient": item["account"],
                "amount": item["amount"],
                "currency": item["currency"],
                "on_hold": bool(item.get("on_hold")),
                "notes": item.get("notes", {}),
                "reversed": False,
            }
            self.transfers[transfer["id"]] = transfer
            made.append(transfer)
        return JSONResponse(_collection(made))

    async def _edit_transfer(self, request: Request) -> JSONResponse:
        body, early = await self._begin(request)
        transfer = self.transfers.get(request.path_params["id"])
        if early or transfer is None:
            return early or _error(400, "The id provided does not exist")
        transfer["on_hold"] = bool(body.get("on_hold"))
        return JSONResponse(transfer)

    async def _refund(self, request: Request) -> JSONResponse:
        body, early = await self._begin(request)
        payment = self._payment(request)
        if early or payment is None:
            return early or _error(400, "The id provided does not exist")
        done = sum(r["amount"] for r in self.refunds.values() if r["payment_id"] == payment["id"])
        amount = body.get("amount", payment["amount"])
        if payment["status"] not in ("captured", "refunded") or done + amount > payment["amount"]:
            return _error(400, "The payment has been fully refunded already")
        if body.get("reverse_all"):
            for transfer in self.transfers.values():
                if transfer["source"] == payment["id"]:
                    transfer["reversed"] = True
        refund = {
            "id": _id("rfnd"),
            "entity": "refund",
            "amount": amount,
            "currency": payment["currency"],
            "payment_id": payment["id"],
            "receipt": body.get("receipt"),
            "status": "processed",
            "notes": body.get("notes", {}),
        }
        self.refunds[refund["id"]] = refund
        payment["status"] = "refunded" if done + amount == payment["amount"] else payment["status"]
        return JSONResponse(refund)

    async def _list_refunds(self, request: Request) -> JSONResponse:
        _, early = await self._begin(request)
        payment = self._payment(request)
        if early or payment is None:
            return early or _error(400, "The id provided does not exist")
        return JSONResponse(
            _collection([r for r in self.refunds.values() if r["payment_id"] == payment["id"]])
        )
