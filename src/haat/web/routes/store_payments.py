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
signed with the session key (`haat.web.hosted_checkout`, valid for an hour).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from haat.commerce.models import Order
from haat.config import Settings
from haat.core.deps import AppSettings, DbSession
from haat.core.errors import NotFound
from haat.identity.actor import Actor
from haat.identity.service import get_user
from haat.payments import charges, escrow
from haat.payments.models import Payment, PaymentProvider
from haat.payments.providers import PaymentProviders, Providers
from haat.payments.schemas import PaymentIn
from haat.payments.views import awaits_razorpay, manual_method
from haat.web import refusals
from haat.web.hosted_checkout import (
    allow_form_to,
    origin,
    razorpay_return_token,
    read_return_token,
    stripe_return_urls,
)
from haat.web.portal import portal
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer

router = page_router()
# Razorpay's signed POST back from its own page: no CSRF token, no Lax cookie (module doc).
callback_router = APIRouter(include_in_schema=False)


def _razorpay_page(
    viewer: Viewer, settings: Settings, providers: Providers, payment: Payment, order: Order
) -> Response:
    """The page handing the buyer over to Razorpay's hosted checkout (a plain form post:
    no Razorpay script on our pages). Its CSP lets that one form leave for Razorpay."""
    action = providers.razorpay_checkout_url  # RAZORPAY_API_BASE's, or Razorpay's own
    user_id = viewer.actor.require_user()
    token = razorpay_return_token(settings, payment.id, user_id)
    base = str(viewer.request.base_url).rstrip("/")
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
    headers = allow_form_to(origin(action))
    return render(viewer, "store/pay_razorpay.html", context, headers=headers)


@router.post("/orders/{order_id:uuid}/pay")
async def pay_order(
    order_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    providers: PaymentProviders,
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
    try:
        milestone = uuid.UUID(milestone_id) if milestone_id else None
    except ValueError:
        raise NotFound("No such milestone") from None
    payment_id = charges.payment_id_for(user_id, idempotency_key)
    async with refusals.flashed(viewer, session) as refused:
        payment, redirect = await charges.open_checkout(
            session,
            viewer.actor,
            providers,
            order_id,
            PaymentIn(milestone_id=milestone, method=manual_method(method)),
            idempotency_key,
            stripe_return_urls(settings, viewer, order_id, payment_id),
        )
    if refused:
        return back
    if redirect is not None:
        return RedirectResponse(redirect, status_code=303)
    if awaits_razorpay(payment):
        _, access = await charges.readable_payment(session, viewer.actor, payment.id)
        return _razorpay_page(viewer, settings, providers, payment, access.order)
    if payment.provider == PaymentProvider.MANUAL:
        viewer.flash(
            viewer.gettext("Payment noted. The seller confirms it when the money arrives.")
        )
    return back


@router.get("/orders/{order_id:uuid}/payments/{payment_id:uuid}/razorpay")
async def resume_razorpay(
    order_id: uuid.UUID,
    payment_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    providers: PaymentProviders,
) -> Response:
    """Back to Razorpay's checkout for a Razorpay payment still pending (the buyer's own)."""
    payment, access = await charges.readable_payment(session, viewer.actor, payment_id)
    if payment.order_id != order_id or not access.buyer or not awaits_razorpay(payment):
        raise NotFound("No such payment")
    return _razorpay_page(viewer, settings, providers, payment, access.order)


@callback_router.post("/payments/razorpay/return/{token}")
async def razorpay_return(
    token: str,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    providers: PaymentProviders,
    razorpay_payment_id: Annotated[str, Form(max_length=100)],
    razorpay_order_id: Annotated[str, Form(max_length=100)],
    razorpay_signature: Annotated[str, Form(max_length=200)],
) -> Response:
    """Razorpay's hosted checkout posts its signed result here; the payment is verified and
    fetched from Razorpay (`charges.razorpay_callback`), then the buyer sees the order.
    Raises 404 for a bad or expired token, 400 for a bad signature."""
    ids = read_return_token(settings, PaymentProvider.RAZORPAY, token)
    user = await get_user(session, ids[1]) if ids else None
    if ids is None or user is None:
        raise NotFound("No such payment")
    actor = Actor(user_id=user.id, platform_role=user.platform_role)
    payment, _ = await charges.readable_payment(session, actor, ids[0])
    if payment.provider_reference != razorpay_order_id:
        raise NotFound("No such payment")
    fields = {
        "razorpay_payment_id": razorpay_payment_id,
        "razorpay_order_id": razorpay_order_id,
        "razorpay_signature": razorpay_signature,
    }
    await charges.razorpay_callback(session, actor, providers, fields)
    return RedirectResponse(f"/orders/{payment.order_id}", status_code=303)


@router.post("/orders/{order_id:uuid}/milestones/{milestone_id:uuid}/release")
async def release(
    order_id: uuid.UUID,
    milestone_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    providers: PaymentProviders,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The buyer releases a funded milestone to the seller (`escrow.release_milestone`)."""
    viewer.actor.require_user()
    async with refusals.flashed(viewer, session) as refused:
        await escrow.release_milestone(
            session, viewer.actor, providers, order_id, milestone_id, note.strip() or None
        )
    if not refused:
        viewer.flash(viewer.gettext("Released to the seller."))
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


@router.post("/seller/{business_id:uuid}/payments/{payment_id:uuid}/{verdict}")
async def confirm_or_reject(
    business_id: uuid.UUID,
    payment_id: uuid.UUID,
    verdict: str,
    viewer: CurrentViewer,
    session: DbSession,
    providers: PaymentProviders,
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
    async with refusals.flashed(viewer, session) as refused:
        if verdict == "confirm":
            await charges.confirm_manual(session, viewer.actor, providers, payment_id)
        else:
            await charges.reject_manual(session, viewer.actor, payment_id)
    if not refused and verdict == "confirm":
        viewer.flash(viewer.gettext("Payment confirmed."))
    elif not refused:
        viewer.flash(viewer.gettext("Payment marked as not received."))
    return RedirectResponse(target, status_code=303)
