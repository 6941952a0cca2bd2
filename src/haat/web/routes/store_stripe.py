"""The way back from Stripe Checkout, whose hosted page the storefront's pay form redirects
the buyer to (`store_payments.pay_order`, `charges.open_checkout`).

Stripe sends the browser back with a GET to ``/payments/stripe/return/{token}?session_id=``,
``token`` signing the payment and buyer ids (`haat.web.hosted_checkout`). The session is then
read from Stripe's API (`charges.checkout_return`), never from the query string; the
``checkout.session.*`` webhook does the same, and whichever comes second does nothing.
Leaving Stripe's page (``cancel_url``) changes nothing: the payment stays pending, and
"Continue to Stripe" goes back to the same session while it is open. These GET routes record
payments, so they take a write session (`WriteSession`).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Query
from fastapi.responses import RedirectResponse, Response

from haat.core.deps import AppSettings, WriteSession
from haat.core.errors import HaatError, NotFound
from haat.identity.actor import Actor
from haat.identity.service import get_user
from haat.payments import charges
from haat.payments.models import Payment, PaymentProvider, PaymentState
from haat.payments.providers import NotPaid, PaymentProviders
from haat.web import refusals
from haat.web.hosted_checkout import read_return_token
from haat.web.routes import page_router
from haat.web.viewer import CurrentViewer, Viewer

router = page_router()


@router.get("/orders/{order_id:uuid}/payments/{payment_id:uuid}/stripe")
async def resume_stripe(
    order_id: uuid.UUID,
    payment_id: uuid.UUID,
    viewer: CurrentViewer,
    session: WriteSession,
    providers: PaymentProviders,
) -> Response:
    """Back to Stripe Checkout's page of the buyer's pending payment while it is open; else
    the order, the payment settled by what Stripe says (`charges.resume_checkout`)."""
    back = RedirectResponse(f"/orders/{order_id}", status_code=303)
    payment, _ = await charges.readable_payment(session, viewer.actor, payment_id)
    if payment.order_id != order_id:
        raise NotFound("No such payment")
    async with refusals.flashed(viewer, session, passes=(404,)) as refused:
        payment, url = await charges.resume_checkout(session, viewer.actor, providers, payment_id)
    if refused:
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
    settings: AppSettings,
    providers: PaymentProviders,
    session_id: Annotated[str, Query(max_length=255)] = "",
) -> Response:
    """Stripe Checkout's ``success_url``: ``token`` names the payment and its buyer (the
    browser may have lost its session meanwhile); the Checkout Session is read from Stripe
    (`charges.checkout_return`) and must be the one recorded, ``session_id``. Then the
    order, with a word on the outcome. Raises 404 for a bad token."""
    ids = read_return_token(settings, PaymentProvider.STRIPE, token)
    user = await get_user(session, ids[1]) if ids else None
    if ids is None or user is None:
        raise NotFound("No such payment")
    actor = Actor(user_id=user.id, platform_role=user.platform_role)
    payment, _ = await charges.readable_payment(session, actor, ids[0])
    back = RedirectResponse(f"/orders/{payment.order_id}", status_code=303)

    def say(exc: HaatError) -> str | None:  # the page's own words for an unpaid checkout
        return _not_paid(viewer, exc.expired) if isinstance(exc, NotPaid) else None

    async with refusals.flashed(viewer, session, say=say) as refused:
        payment = await charges.checkout_return(
            session, actor, providers, payment.id, {"session_id": session_id}
        )
    if not refused:
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
