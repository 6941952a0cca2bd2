"""A fake of the Stripe API calls Haat makes: PaymentIntents (create, cancel), Transfers and
their reversals, Refunds. Form-encoded requests, Bearer secret key, ``Idempotency-Key``
replays, Stripe's error envelope. Test helpers pay an intent and build the event Stripe would
send."""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _unflatten(form: dict[str, str]) -> dict[str, Any]:
    """``metadata[a]=1`` → ``{"metadata": {"a": "1"}}`` (one level, as Haat sends)."""
    out: dict[str, Any] = {}
    for key, value in form.items():
        if "[" in key:
            outer, inner = key.rstrip("]").split("[", 1)
            out.setdefault(outer, {})[inner] = value
        else:
            out[key] = value
    return out


def _error(status: int, message: str, code: str = "invalid_request") -> JSONResponse:
    body = {"error": {"type": "invalid_request_error", "code": code, "message": message}}
    return JSONResponse(body, status_code=status)


class FakeStripe:
    def __init__(self, secret_key: str) -> None:
        self.secret_key = secret_key
        self.intents: dict[str, dict[str, Any]] = {}
        self.transfers: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, Any], str | None]] = []
        self.fail: dict[str, tuple[int, str]] = {}  # path prefix -> error to answer once
        self._replies: dict[str, tuple[int, dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.app = Starlette(
            routes=[
                Route("/v1/payment_intents", self._create_intent, methods=["POST"]),
                Route("/v1/payment_intents/{id}/cancel", self._cancel_intent, methods=["POST"]),
                Route("/v1/transfers", self._create_transfer, methods=["POST"]),
                Route("/v1/transfers/{id}/reversals", self._reverse, methods=["POST"]),
                Route("/v1/refunds", self._create_refund, methods=["POST"]),
                # Like Stripe's test helpers: pay an intent, get the event Stripe would send.
                Route("/v1/test_helpers/payment_intents/{id}/pay", self._pay, methods=["POST"]),
            ]
        )

    # --- test helpers -------------------------------------------------------------------

    def event(self, kind: str, intent: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": _id("evt"),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": int(time.time()),
            "livemode": False,
            "type": kind,
            "data": {"object": dict(intent)},
        }

    def pay(self, intent_id: str) -> dict[str, Any]:
        """The buyer pays the intent: returns the ``payment_intent.succeeded`` event."""
        intent = self.intents[intent_id]
        intent.update(status="succeeded", latest_charge=_id("ch"), amount_received=intent["amount"])
        return self.event("payment_intent.succeeded", intent)

    def decline(self, intent_id: str) -> dict[str, Any]:
        intent = self.intents[intent_id]
        intent["status"] = "requires_payment_method"
        return self.event("payment_intent.payment_failed", intent)

    # --- the API ------------------------------------------------------------------------

    async def _begin(self, request: Request) -> tuple[dict[str, Any], JSONResponse | None]:
        form = _unflatten({k: str(v) for k, v in (await request.form()).items()})
        key = request.headers.get("idempotency-key")
        self.requests.append((request.method, request.url.path, form, key))
        if request.headers.get("authorization") != f"Bearer {self.secret_key}":
            return form, _error(401, "Invalid API Key provided", "api_key_invalid")
        for prefix, (status, message) in list(self.fail.items()):
            if request.url.path.startswith(prefix):
                del self.fail[prefix]
                return form, _error(status, message)
        if key and key in self._replies:
            status, body = self._replies[key]
            return form, JSONResponse(body, status_code=status)
        return form, None

    def _reply(self, request: Request, body: dict[str, Any]) -> JSONResponse:
        key = request.headers.get("idempotency-key")
        if key:
            self._replies[key] = (200, body)
        return JSONResponse(body)

    async def _pay(self, request: Request) -> JSONResponse:
        if request.path_params["id"] not in self.intents:
            return _error(404, "No such payment_intent", "resource_missing")
        return JSONResponse(self.pay(request.path_params["id"]))

    async def _create_intent(self, request: Request) -> JSONResponse:
        form, early = await self._begin(request)
        if early:
            return early
        intent_id = _id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": int(form["amount"]),
            "amount_received": 0,
            "currency": form["currency"],
            "status": "requires_payment_method",
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "transfer_group": form.get("transfer_group"),
            "metadata": form.get("metadata", {}),
            "latest_charge": None,
        }
        with self._lock:
            self.intents[intent_id] = intent
        return self._reply(request, intent)

    async def _cancel_intent(self, request: Request) -> JSONResponse:
        _, early = await self._begin(request)
        if early:
            return early
        intent = self.intents.get(request.path_params["id"])
        if intent is None:
            return _error(404, "No such payment_intent", "resource_missing")
        if intent["status"] == "succeeded":
            return _error(
                400, "This PaymentIntent has already succeeded", "payment_intent_unexpected_state"
            )
        intent["status"] = "canceled"
        return self._reply(request, intent)

    async def _create_transfer(self, request: Request) -> JSONResponse:
        form, early = await self._begin(request)
        if early:
            return early
        if not str(form.get("destination", "")).startswith("acct_"):
            return _error(400, "No such destination", "resource_missing")
        charges = {i["latest_charge"] for i in self.intents.values()}
        if form.get("source_transaction") not in charges | {None}:
            return _error(400, "No such charge", "resource_missing")
        transfer = {
            "id": _id("tr"),
            "object": "transfer",
            "amount": int(form["amount"]),
            "currency": form["currency"],
            "destination": form["destination"],
            "source_transaction": form.get("source_transaction"),
            "transfer_group": form.get("transfer_group"),
            "reversed": False,
            "metadata": form.get("metadata", {}),
        }
        self.transfers[transfer["id"]] = transfer
        return self._reply(request, transfer)

    async def _reverse(self, request: Request) -> JSONResponse:
        _, early = await self._begin(request)
        if early:
            return early
        transfer = self.transfers.get(request.path_params["id"])
        if transfer is None or transfer["reversed"]:
            return _error(400, "This transfer cannot be reversed", "transfer_reversed")
        transfer["reversed"] = True
        reversal = {
            "id": _id("trr"),
            "object": "transfer_reversal",
            "amount": transfer["amount"],
            "currency": transfer["currency"],
            "transfer": transfer["id"],
        }
        return self._reply(request, reversal)

    async def _create_refund(self, request: Request) -> JSONResponse:
        form, early = await self._begin(request)
        if early:
            return early
        intent = self.intents.get(form.get("payment_intent", ""))
        if intent is None or intent["status"] != "succeeded":
            return _error(400, "This PaymentIntent has no successful charge", "charge_not_found")
        refunded = sum(
            r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"]
        )
        amount = int(form.get("amount", intent["amount"]))
        if refunded + amount > intent["amount"]:
            return _error(400, "Charge has already been refunded", "charge_already_refunded")
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "charge": intent["latest_charge"],
            "status": "succeeded",
            "metadata": form.get("metadata", {}),
        }
        self.refunds[refund["id"]] = refund
        return self._reply(request, refund)
