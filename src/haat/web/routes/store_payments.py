"""Paying orders from the storefront: a manual payment (cash on delivery, UPI, bank
transfer), Stripe Checkout or Razorpay's hosted checkout, for the whole order or one escrow
milestone, and releasing a funded milestone. Every step goes through `haat.payments`
(`charges`, `escrow`); these routes only turn forms into those calls.

Stripe Checkout: the pay form's POST opens a Checkout Session and answers 303 to its hosted
page; the way back is in `store_stripe`.

Razorpay's hosted checkout (``POST {api}/v1/checkout/embedded``) posts its signed result back
to ``/payments/razorpay/return/{token}`` from Razorpay's own page. That cross-site POST carries
neither our CSRF token nor the ``SameSite=Lax`` session cookie, so that one route is outside
the CSRF-checked page router: it is protected by Razorpay's signature (verified by
`charges.razorpay_callback`) and names the buyer by ``token``, the payment and buyer ids
signed with the session key (itsdangerous, valid for an hour).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order
from haat.config import Settings
from haat.core.deps import DbSession, provided
from haat.core.errors import HaatError, NotFound
from haat.core.money import PaymentMethod
from haat.identity.actor import Actor
from haat.identity.models import User
from haat.payments import business_settings, charges, escrow
from haat.payments.models import Milestone, Payment, PaymentProvider, PaymentState
from haat.payments.providers import Providers
from haat.payments.schemas import PaymentIn
from haat.web.messages import error_message
from haat.web.routes import page_router, store_stripe
from haat.web.routes.seller_products import portal
from haat.web.security import CONTENT_SECURITY_POLICY, session_signing_key
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer

router = page_router()
# Razorpay's signed POST back from its own page: no CSRF token, no Lax cookie (module doc).
callback_router = APIRouter(include_in_schema=False)
MANUAL_METHODS = (PaymentMethod.CASH, PaymentMethod.UPI, PaymentMethod.BANK_TRANSFER)
_RETURN_SALT = "haat.web.razorpay-return"
_RETURN_MAX_AGE_S = 3600


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
    """The payment section of ``order`` for ``actor`` (who may see it: its buyer or staff)."""
    provider, _ = await business_settings.provider_of(session, order.business_id)
    payments = await charges.list_payments(session, actor, order.id)
    pending = {p.milestone_id: p for p in payments if p.status == PaymentState.PENDING}
    return OrderMoney(provider, payments, await escrow.milestones_of(session, order.id), pending)


def _providers(request: Request) -> Providers:
    providers: Providers = provided(Providers)(request)
    return providers


def _serializer(request: Request) -> URLSafeTimedSerializer:
    key = session_signing_key(provided(Settings)(request).secret_key)
    return URLSafeTimedSerializer(key, salt=_RETURN_SALT)


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _razorpay_page(viewer: Viewer, payment: Payment, order: Order) -> Response:
    """The page handing the buyer over to Razorpay's hosted checkout (a plain form post:
    no Razorpay script on our pages). Its CSP lets that one form leave for Razorpay."""
    request = viewer.request
    providers = _providers(request)
    action = providers.razorpay_checkout_url  # RAZORPAY_API_BASE's, or Razorpay's own
    token = _serializer(request).dumps([str(payment.id), str(viewer.actor.user_id)])
    base = str(request.base_url).rstrip("/")
    context = {
        "action": action,
        "fields": {
            "key_id": providers.razorpay_key_id or "",
            "order_id": payment.provider_reference or "",
            "amount": str(payment.amount_minor),
            "currency": payment.currency,
            "name": "Haat",
            "description": order.number,
            "callback_url": f"{base}/payments/razorpay/return/{token}",
            "cancel_url": f"{base}/orders/{order.id}",
        },
        "payment": payment,
        "order": order,
    }
    csp = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {_origin(action)}"
    )
    return render(
        viewer, "store/pay_razorpay.html", context, headers={"Content-Security-Policy": csp}
    )


@router.post("/orders/{order_id:uuid}/pay")
async def pay_order(
    order_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    idempotency_key: Annotated[str, Form(min_length=8, max_length=100)],
    milestone_id: Annotated[str, Form(max_length=40)] = "",
    method: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Open a payment of the order (or of ``milestone_id``) through the seller's provider:
    a manual one waits for the seller to confirm it; a Stripe one is redirected to Stripe
    Checkout's page (303); a Razorpay one goes on to Razorpay's checkout. The form's one-off
    ``idempotency_key`` makes a double click open one payment."""
    user_id = viewer.actor.require_user()
    back = RedirectResponse(f"/orders/{order_id}", status_code=303)
    chosen = PaymentMethod(method) if method in MANUAL_METHODS else None
    try:
        milestone = uuid.UUID(milestone_id) if milestone_id else None
    except ValueError:
        raise NotFound("No such milestone") from None
    payment_id = charges.payment_id_for(user_id, idempotency_key)
    try:
        payment, redirect = await charges.open_checkout(
            session,
            viewer.actor,
            _providers(viewer.request),
            order_id,
            PaymentIn(milestone_id=milestone, method=chosen),
            idempotency_key,
            store_stripe.return_urls(viewer, order_id, payment_id),
        )
    except HaatError as exc:
        await session.rollback()
        viewer.flash(error_message(viewer, exc.code, exc.detail, exc.status), "error")
        return back
    if redirect is not None:
        return RedirectResponse(redirect, status_code=303)
    if payment.provider == PaymentProvider.RAZORPAY and payment.status == PaymentState.PENDING:
        order = await session.get(Order, order_id)
        assert order is not None
        return _razorpay_page(viewer, payment, order)
    if payment.provider == PaymentProvider.MANUAL:
        viewer.flash(
            viewer.gettext("Payment noted. The seller confirms it when the money arrives.")
        )
    return back


@router.get("/orders/{order_id:uuid}/payments/{payment_id:uuid}/razorpay")
async def resume_razorpay(
    order_id: uuid.UUID, payment_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    """Back to Razorpay's checkout for a Razorpay payment still pending (the buyer's own)."""
    payment, access = await charges.readable_payment(session, viewer.actor, payment_id)
    if (
        payment.order_id != order_id
        or not access.buyer
        or payment.provider != PaymentProvider.RAZORPAY
        or payment.status != PaymentState.PENDING
    ):
        raise NotFound("No such payment")
    return _razorpay_page(viewer, payment, access.order)


@callback_router.post("/payments/razorpay/return/{token}")
async def razorpay_return(
    token: str,
    request: Request,
    session: DbSession,
    razorpay_payment_id: Annotated[str, Form(max_length=100)],
    razorpay_order_id: Annotated[str, Form(max_length=100)],
    razorpay_signature: Annotated[str, Form(max_length=200)],
) -> Response:
    """Razorpay's hosted checkout posts its signed result here; the payment is verified and
    fetched from Razorpay (`charges.razorpay_callback`), then the buyer sees the order.
    Raises 404 for a bad or expired token, 400 for a bad signature."""
    try:
        payment_id, user_id = _serializer(request).loads(token, max_age=_RETURN_MAX_AGE_S)
        user = await session.get(User, uuid.UUID(user_id))
    except (BadSignature, ValueError, TypeError):
        raise NotFound("No such payment") from None
    payment = await session.get(Payment, uuid.UUID(payment_id))
    if user is None or payment is None or payment.provider_reference != razorpay_order_id:
        raise NotFound("No such payment")
    actor = Actor(user_id=user.id, platform_role=user.platform_role)
    fields = {
        "razorpay_payment_id": razorpay_payment_id,
        "razorpay_order_id": razorpay_order_id,
        "razorpay_signature": razorpay_signature,
    }
    await charges.razorpay_callback(session, actor, _providers(request), fields)
    return RedirectResponse(f"/orders/{payment.order_id}", status_code=303)


@router.post("/orders/{order_id:uuid}/milestones/{milestone_id:uuid}/release")
async def release(
    order_id: uuid.UUID,
    milestone_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The buyer releases a funded milestone to the seller (`escrow.release_milestone`)."""
    viewer.actor.require_user()
    try:
        await escrow.release_milestone(
            session,
            viewer.actor,
            _providers(viewer.request),
            order_id,
            milestone_id,
            note.strip() or None,
        )
    except HaatError as exc:
        await session.rollback()
        viewer.flash(error_message(viewer, exc.code, exc.detail, exc.status), "error")
    else:
        viewer.flash(viewer.gettext("Released to the seller."))
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


@router.post("/seller/{business_id:uuid}/payments/{payment_id:uuid}/{verdict}")
async def confirm_or_reject(
    business_id: uuid.UUID,
    payment_id: uuid.UUID,
    verdict: str,
    viewer: CurrentViewer,
    session: DbSession,
) -> Response:
    """The seller's staff received a manual payment (``confirm``) or never did (``reject``)
    (`charges.confirm_manual`, `charges.reject_manual`: 403 for viewers, 404 for others)."""
    if verdict not in ("confirm", "reject"):
        raise NotFound("No such page")
    await portal(viewer, session, business_id)  # 404 for anyone outside the business
    payment, _ = await charges.readable_payment(session, viewer.actor, payment_id)
    if payment.business_id != business_id:
        raise NotFound("No such payment")
    target = f"/seller/{business_id}/orders/{payment.order_id}"
    try:
        if verdict == "confirm":
            await charges.confirm_manual(
                session, viewer.actor, _providers(viewer.request), payment_id
            )
        else:
            await charges.reject_manual(session, viewer.actor, payment_id)
    except HaatError as exc:
        await session.rollback()
        viewer.flash(error_message(viewer, exc.code, exc.detail, exc.status), "error")
    else:
        if verdict == "confirm":
            viewer.flash(viewer.gettext("Payment confirmed."))
        else:
            viewer.flash(viewer.gettext("Payment marked as not received."))
    return RedirectResponse(target, status_code=303)
