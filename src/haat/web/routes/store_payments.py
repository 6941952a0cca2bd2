"""Paying orders from the storefront: a manual payment (cash on delivery, UPI, bank
transfer), Stripe Checkout or Razorpay's hosted checkout, for the whole order or one escrow
milestone, and releasing a funded milestone. Every step goes through `haat.payments`
(`charges`, `escrow`); these routes only turn forms into those calls.

Stripe Checkout: the pay form's POST opens a Checkout Session and answers 303 to its hosted
page (so the order page's CSP lets its forms go to Stripe Checkout's origin, `page_headers`).
Stripe sends the browser back with a GET to ``/payments/stripe/return/{token}?session_id=``,
``token`` signing the payment and buyer ids (itsdangerous, without a timestamp: the URL is a
parameter of the idempotent session-creating call, so it must be the same on a retry). The
session is then read from Stripe's API (`charges.checkout_return`), never from the query
string; the ``checkout.session.*`` webhook does the same, and whichever comes second does
nothing. Leaving Stripe's page (``cancel_url``) changes nothing: the payment stays pending,
and "Continue to Stripe" goes back to the same session while it is open.

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

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order
from haat.core.deps import DbSession, WriteSession
from haat.core.errors import HaatError, NotFound
from haat.identity.actor import Actor
from haat.identity.models import User
from haat.payments import business_settings, charges, escrow
from haat.payments.models import Milestone, Payment, PaymentMethod, PaymentProvider, PaymentState
from haat.payments.providers import NotPaid, Providers, ReturnUrls
from haat.payments.schemas import PaymentIn
from haat.web.messages import error_message
from haat.web.routes import page_router
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
_STRIPE_RETURN_SALT = "haat.web.stripe-return"


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


def page_headers(request: Request, money: OrderMoney) -> dict[str, str] | None:
    """The order page's headers: for a Stripe seller, a CSP whose ``form-action`` also
    admits Stripe Checkout's origin, where the pay form's redirect leads (browsers hold a
    form's redirects to ``form-action``)."""
    if money.provider != PaymentProvider.STRIPE:
        return None
    origin = _providers(request).stripe_checkout_origin
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {origin}"
        )
    }


def _providers(request: Request) -> Providers:
    providers: Providers = request.app.state.payments
    return providers


def _serializer(request: Request) -> URLSafeTimedSerializer:
    key = session_signing_key(request.app.state.settings.secret_key)
    return URLSafeTimedSerializer(key, salt=_RETURN_SALT)


def _stripe_serializer(request: Request) -> URLSafeSerializer:
    key = session_signing_key(request.app.state.settings.secret_key)
    return URLSafeSerializer(key, salt=_STRIPE_RETURN_SALT)


def _return_urls(viewer: Viewer, order_id: uuid.UUID, payment_id: uuid.UUID) -> ReturnUrls:
    """Where Stripe Checkout sends the buyer back to for payment ``payment_id``."""
    request = viewer.request
    token = _stripe_serializer(request).dumps([str(payment_id), str(viewer.actor.user_id)])
    base = str(request.base_url).rstrip("/")
    return ReturnUrls(
        success=f"{base}/payments/stripe/return/{token}",
        cancel=f"{base}/orders/{order_id}/payments/{payment_id}/stripe/cancelled",
    )


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
            _return_urls(viewer, order_id, payment_id),
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


@router.get("/orders/{order_id:uuid}/payments/{payment_id:uuid}/stripe")
async def resume_stripe(
    order_id: uuid.UUID, payment_id: uuid.UUID, viewer: CurrentViewer, session: WriteSession
) -> Response:
    """Back to Stripe Checkout's page of the buyer's pending payment while it is open; else
    the order, the payment settled by what Stripe says (`charges.resume_checkout`)."""
    back = RedirectResponse(f"/orders/{order_id}", status_code=303)
    payment, _ = await charges.readable_payment(session, viewer.actor, payment_id)
    if payment.order_id != order_id:
        raise NotFound("No such payment")
    try:
        payment, url = await charges.resume_checkout(
            session, viewer.actor, _providers(viewer.request), payment_id
        )
    except HaatError as exc:
        await session.rollback()
        if exc.status == 404:
            raise
        viewer.flash(error_message(viewer, exc.code, exc.detail, exc.status), "error")
        return back
    if url is not None:
        return RedirectResponse(url, status_code=303)
    _flash_outcome(viewer, payment)
    return back


@router.get("/orders/{order_id:uuid}/payments/{payment_id:uuid}/stripe/cancelled")
async def stripe_cancelled(
    order_id: uuid.UUID, payment_id: uuid.UUID, viewer: CurrentViewer
) -> Response:
    """Stripe Checkout's ``cancel_url``: the buyer left its page without paying. Nothing
    changes (the order page offers to continue); only a word for the buyer."""
    viewer.flash(
        viewer.gettext(
            "You left Stripe's page before paying. You can continue there when you are ready."
        )
    )
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


@router.get("/payments/stripe/return/{token}")
async def stripe_return(
    token: str,
    viewer: CurrentViewer,
    session: WriteSession,
    session_id: Annotated[str, Query(max_length=255)] = "",
) -> Response:
    """Stripe Checkout's ``success_url``: ``token`` names the payment and its buyer (the
    browser may have lost its session meanwhile); the Checkout Session is read from Stripe
    (`charges.checkout_return`) and must be the one recorded, ``session_id``. Then the
    order, with a word on the outcome. Raises 404 for a bad token."""
    try:
        payment_id, user_id = _stripe_serializer(viewer.request).loads(token)
        user = await session.get(User, uuid.UUID(user_id))
        payment = await session.get(Payment, uuid.UUID(payment_id))
    except (BadSignature, ValueError, TypeError):
        raise NotFound("No such payment") from None
    if user is None or payment is None:
        raise NotFound("No such payment")
    back = RedirectResponse(f"/orders/{payment.order_id}", status_code=303)
    actor = Actor(user_id=user.id, platform_role=user.platform_role)
    try:
        payment = await charges.checkout_return(
            session, actor, _providers(viewer.request), payment.id, {"session_id": session_id}
        )
    except NotPaid as exc:
        await session.rollback()
        viewer.flash(_not_paid(viewer, exc.expired), "error")
        return back
    except HaatError as exc:
        await session.rollback()
        viewer.flash(error_message(viewer, exc.code, exc.detail, exc.status), "error")
        return back
    _flash_outcome(viewer, payment)
    return back


def _not_paid(viewer: Viewer, expired: bool) -> str:
    if expired:
        return viewer.gettext("This Stripe checkout has expired. Please pay again.")
    return viewer.gettext(
        "Stripe has not received this payment yet. If you paid, it will show here shortly."
    )


def _flash_outcome(viewer: Viewer, payment: Payment) -> None:
    """A word on a hosted checkout's payment once Stripe has been asked about it."""
    if payment.status == PaymentState.SUCCEEDED:
        viewer.flash(viewer.gettext("Payment received. Thank you!"))
    elif payment.status == PaymentState.REFUNDED:
        viewer.flash(
            viewer.gettext("This payment arrived after it was no longer due: it is refunded.")
        )
    else:
        viewer.flash(_not_paid(viewer, payment.status == PaymentState.FAILED), "error")


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
