"""The way back from Stripe Checkout, whose hosted page the storefront's pay form redirects
the buyer to (`store_payments.pay_order`, `charges.open_checkout`).

Browsers hold a form's redirects to the page's ``form-action``, so a Stripe seller's order
page admits Stripe Checkout's origin there (`page_headers`). Stripe sends the browser back
with a GET to ``/payments/stripe/return/{token}?session_id=``, ``token`` signing the payment
and buyer ids (itsdangerous, without a timestamp: the URL is a parameter of the idempotent
session-creating call, so it must be the same on a retry). The session is then read from
Stripe's API (`charges.checkout_return`), never from the query string; the
``checkout.session.*`` webhook does the same, and whichever comes second does nothing.
Leaving Stripe's page (``cancel_url``) changes nothing: the payment stays pending, and
"Continue to Stripe" goes back to the same session while it is open. These GET routes record
payments, so they take a write session (`WriteSession`).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer

from haat.config import Settings
from haat.core.deps import WriteSession, provided
from haat.core.errors import HaatError, NotFound
from haat.identity.actor import Actor
from haat.identity.models import User
from haat.payments import charges
from haat.payments.models import Payment, PaymentProvider, PaymentState
from haat.payments.providers import NotPaid, Providers, ReturnUrls
from haat.web.messages import error_message
from haat.web.routes import page_router
from haat.web.security import CONTENT_SECURITY_POLICY, session_signing_key
from haat.web.viewer import CurrentViewer, Viewer

router = page_router()
_RETURN_SALT = "haat.web.stripe-return"


def _providers(request: Request) -> Providers:
    providers: Providers = provided(Providers)(request)
    return providers


def page_headers(request: Request, provider: PaymentProvider) -> dict[str, str] | None:
    """The order page's headers: for a Stripe seller, a CSP whose ``form-action`` also
    admits Stripe Checkout's origin, where the pay form's redirect leads (browsers hold a
    form's redirects to ``form-action``)."""
    if provider != PaymentProvider.STRIPE:
        return None
    origin = _providers(request).stripe_checkout_origin
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {origin}"
        )
    }


def _serializer(request: Request) -> URLSafeSerializer:
    key = session_signing_key(provided(Settings)(request).secret_key)
    return URLSafeSerializer(key, salt=_RETURN_SALT)


def return_urls(viewer: Viewer, order_id: uuid.UUID, payment_id: uuid.UUID) -> ReturnUrls:
    """Where Stripe Checkout sends the buyer back to for payment ``payment_id``."""
    request = viewer.request
    token = _serializer(request).dumps([str(payment_id), str(viewer.actor.user_id)])
    base = str(request.base_url).rstrip("/")
    return ReturnUrls(
        success=f"{base}/payments/stripe/return/{token}",
        cancel=f"{base}/orders/{order_id}/payments/{payment_id}/stripe/cancelled",
    )


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
        payment_id, user_id = _serializer(viewer.request).loads(token)
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
