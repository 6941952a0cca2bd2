"""A fake of the Stripe API calls Haat makes: PaymentIntents (create, cancel), Checkout
Sessions (create, retrieve with ``expand``, expire) and their hosted page, Transfers and their
reversals, Refunds. Form-encoded requests, Bearer secret key, ``Idempotency-Key`` replays,
Stripe's error envelope. Test helpers pay an intent or a session and build the event Stripe
would send."""

from __future__ import annotations

import html
import secrets
import threading
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route


def _id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _unflatten(form: dict[str, str]) -> dict[str, Any]:
    """Stripe's form encoding back to objects: ``metadata[a]=1`` → ``{"metadata": {"a":
    "1"}}``, ``line_items[0][quantity]=1`` → ``{"line_items": [{"quantity": "1"}]}``."""
    out: dict[str, Any] = {}
    for key, value in form.items():
        head, _, rest = key.partition("[")
        path = [head, *rest.rstrip("]").split("][")] if rest else [head]
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return _lists(out)


def _lists(node: Any) -> Any:
    """Objects whose keys are all indices (``0``, ``1``...) become lists, depth first."""
    if not isinstance(node, dict):
        return node
    items = {k: _lists(v) for k, v in node.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def _error(status: int, message: str, code: str = "invalid_request") -> JSONResponse:
    body = {"error": {"type": "invalid_request_error", "code": code, "message": message}}
    return JSONResponse(body, status_code=status)


class FakeStripe:
    def __init__(self, secret_key: str) -> None:
        self.secret_key = secret_key
        self.intents: dict[str, dict[str, Any]] = {}
        self.transfers: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
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
                Route("/v1/checkout/sessions", self._create_session, methods=["POST"]),
                Route("/v1/checkout/sessions/{id}", self._retrieve_session, methods=["GET"]),
                Route("/v1/checkout/sessions/{id}/expire", self._expire_session, methods=["POST"]),
                # Stripe Checkout's hosted page (checkout.stripe.com in real life).
                Route("/pay/{id}", self._checkout_page, methods=["GET"]),
                Route("/pay/{id}", self._checkout_pay, methods=["POST"]),
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

    def pay_session(self, session_id: str, amount_minor: int | None = None) -> dict[str, Any]:
        """The buyer pays the session on Stripe's page (``amount_minor`` forges what Stripe
        received): a succeeded PaymentIntent with a charge is made; returns the
        ``checkout.session.completed`` event."""
        session = self.sessions[session_id]
        line = session["line_items"][0]["price_data"]
        intent_data = session.get("payment_intent_data", {})
        intent_id = _id("pi")
        received = int(line["unit_amount"]) if amount_minor is None else amount_minor
        self.intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": received,
            "amount_received": received,
            "currency": line["currency"],
            "status": "succeeded",
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "transfer_group": intent_data.get("transfer_group"),
            "metadata": intent_data.get("metadata", {}),
            "latest_charge": _id("ch"),
        }
        session.update(status="complete", payment_status="paid", payment_intent=intent_id, url=None)
        return self.event("checkout.session.completed", session)

    def expire_session(self, session_id: str) -> dict[str, Any]:
        """The session's lifetime ran out: returns the ``checkout.session.expired`` event."""
        self.sessions[session_id].update(status="expired", url=None)
        return self.event("checkout.session.expired", self.sessions[session_id])

    def decline(self, intent_id: str) -> dict[str, Any]:
        intent = self.intents[intent_id]
        intent["status"] = "requires_payment_method"
        return self.event("payment_intent.payment_failed", intent)

    # --- the API ------------------------------------------------------------------------

    async def _begin(self, request: Request) -> tuple[dict[str, Any], JSONResponse | None]:
        fields = request.query_params if request.method == "GET" else await request.form()
        form = _unflatten({k: str(v) for k, v in fields.items()})
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

    # --- Checkout Sessions --------------------------------------------------------------

    def _expanded(self, session: dict[str, Any], expand: list[str]) -> dict[str, Any]:
        """The session with ``payment_intent`` (and its ``latest_charge``) as objects when
        asked for, as Stripe's ``expand[]`` does."""
        out = dict(session)
        intent = self.intents.get(session.get("payment_intent") or "")
        if intent and any(e.startswith("payment_intent") for e in expand):
            out["payment_intent"] = dict(intent)
            if "payment_intent.latest_charge" in expand and intent["latest_charge"]:
                out["payment_intent"]["latest_charge"] = {
                    "id": intent["latest_charge"],
                    "object": "charge",
                    "amount": intent["amount_received"],
                    "currency": intent["currency"],
                    "payment_intent": intent["id"],
                }
        return out

    async def _create_session(self, request: Request) -> JSONResponse:
        form, early = await self._begin(request)
        if early:
            return early
        lines = form.get("line_items")
        if form.get("mode") != "payment" or not isinstance(lines, list) or len(lines) != 1:
            return _error(400, "A payment-mode session needs line_items", "parameter_missing")
        if "{CHECKOUT_SESSION_ID}" not in form.get("success_url", "") or not form.get("cancel_url"):
            return _error(400, "success_url and cancel_url are required", "parameter_missing")
        price = lines[0]["price_data"]
        session_id = _id("cs_test")
        base = str(request.base_url).rstrip("/")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": int(price["unit_amount"]) * int(lines[0]["quantity"]),
            "currency": price["currency"],
            "client_reference_id": form.get("client_reference_id"),
            "metadata": form.get("metadata", {}),
            "payment_intent": None,
            "success_url": form["success_url"],
            "cancel_url": form["cancel_url"],
            "url": f"{base}/pay/{session_id}",
            "line_items": lines,
            "payment_intent_data": form.get("payment_intent_data", {}),
        }
        with self._lock:
            self.sessions[session_id] = session
        return self._reply(request, session)

    def _session(self, request: Request) -> dict[str, Any] | None:
        return self.sessions.get(request.path_params["id"])

    async def _retrieve_session(self, request: Request) -> JSONResponse:
        form, early = await self._begin(request)
        session = self._session(request)
        if early or session is None:
            return early or _error(404, "No such checkout.session", "resource_missing")
        return JSONResponse(self._expanded(session, list(form.get("expand", []))))

    async def _expire_session(self, request: Request) -> JSONResponse:
        _, early = await self._begin(request)
        session = self._session(request)
        if early or session is None:
            return early or _error(404, "No such checkout.session", "resource_missing")
        if session["status"] != "open":
            return _error(400, "This Checkout Session is not open", "checkout_session_expired")
        session.update(status="expired", url=None)
        return self._reply(request, session)

    async def _checkout_page(self, request: Request) -> HTMLResponse:
        """Stripe's hosted page: the amount, a Pay button and a link back to the shop."""
        session = self._session(request)
        if session is None or session["status"] != "open":
            return HTMLResponse("<!doctype html><title>Expired</title>", status_code=404)
        name = session["line_items"][0]["price_data"]["product_data"]["name"]
        amount = f"{session['amount_total']} {session['currency'].upper()}"
        return HTMLResponse(
            "<!doctype html><html lang=en><title>Stripe Checkout (fake)</title>"
            '<link rel=icon href="data:,"><body>'
            f"<h1>{html.escape(name)}</h1><p class=amount>{html.escape(amount)}</p>"
            f'<form method="post" action="/pay/{session["id"]}">'
            '<button type="submit">Pay</button></form>'
            f'<a href="{html.escape(session["cancel_url"])}">Back</a></body></html>'
        )

    async def _checkout_pay(self, request: Request) -> Response:
        """The buyer paid: back to the merchant's success_url with the session's id."""
        session = self._session(request)
        if session is None or session["status"] != "open":
            return HTMLResponse("<!doctype html><title>Expired</title>", status_code=404)
        success = session["success_url"]
        self.pay_session(session["id"])
        return RedirectResponse(
            success.replace("{CHECKOUT_SESSION_ID}", session["id"]), status_code=303
        )
