"""Payments of orders: a buyer opens one (for the whole order or one milestone) with the
business's provider, the seller's staff confirm manual ones, and online ones succeed through
their provider's verified callback or webhook. A browser may pay on the provider's hosted page
(`open_checkout`): Stripe Checkout, which the buyer is redirected to and comes back from
(`checkout_return`, `resume_checkout`), or Razorpay Checkout (`razorpay_callback`).

Opening is idempotent on ``(caller, Idempotency-Key)``: the payment's id is derived from them
(UUID 5), and so is every idempotency key sent to the provider, so a retry after any failure
returns, or re-creates, the very same payment and provider object.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order, PaymentStatus
from haat.core import repository as core_repository
from haat.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, Unprocessable
from haat.core.money import PaymentMethod
from haat.identity.actor import Actor
from haat.payments import business_settings, escrow
from haat.payments.access import OrderAccess, order_access
from haat.payments.funding import (
    CLOSED_ORDERS,
    fail_payment,
    fund_payment,
    is_payable,
    settle_checkout,
    snapshot,
)
from haat.payments.models import (
    MilestoneStatus,
    Payment,
    PaymentProvider,
    PaymentState,
)
from haat.payments.providers import NotPaid, Opened, ProviderPayment, Providers, ReturnUrls
from haat.payments.repository import orders as orders_repository
from haat.payments.repository import payments as repository
from haat.payments.schemas import PaymentIn
from haat.payments.states import PAYMENT_MACHINE

_NAMESPACE = uuid.UUID("4f1c7a52-6b1e-4d55-9a39-2c8f0e5d7b10")  # Haat payments (UUID 5)


class IdempotencyKeyReused(Unprocessable):
    code, title = "idempotency_key_reused", "This Idempotency-Key was used for another request"


class AmountMismatch(Conflict):
    code, title = (
        "payment_amount_mismatch",
        "The provider received another amount than this payment's; it was not counted",
    )


class PaymentUnderWay(Conflict):
    code, title = "payment_under_way", "A payment of this is already under way"


def payment_id_for(user_id: uuid.UUID, key: str) -> uuid.UUID:
    """The id of the payment a caller opens with an Idempotency-Key: the same every time."""
    return uuid.uuid5(_NAMESPACE, f"{user_id}:{key}")


def body_hash(body: Mapping[str, object]) -> str:
    """SHA-256 of a request body in canonical JSON: same key + same hash = a replay."""
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


async def _target_amount(session: AsyncSession, order: Order, data: PaymentIn) -> int:
    """What the payment is for: its milestone's amount, or the order's total."""
    milestones = await escrow.milestones_of(session, order.id)
    if not milestones:
        if data.milestone_id is not None:
            raise Unprocessable("This order has no milestones; pay it as a whole")
        if order.payment_status != PaymentStatus.UNPAID:
            raise Conflict("This order is already paid", payment_status=order.payment_status.value)
        return order.total_minor
    milestone = next((m for m in milestones if m.id == data.milestone_id), None)
    if milestone is None:
        raise Unprocessable(
            "This order is paid in milestones: give the milestone_id of one of them",
            errors=[
                {
                    "loc": ["body", "milestone_id"],
                    "msg": "not a milestone of this order",
                    "type": "value_error",
                }
            ],
        )
    if milestone.status != MilestoneStatus.PENDING:
        raise InvalidTransition(
            f"This milestone is {milestone.status.value}, not payable",
            current_status=milestone.status.value,
        )
    return milestone.amount_minor


async def open_payment(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    order_id: uuid.UUID,
    data: PaymentIn,
    idempotency_key: str,
    *,
    request_hash: str | None = None,
) -> tuple[Payment, bool]:
    """Open a payment of an order (or of one milestone) by its buyer, through the business's
    provider. The seller's staff may record a manual payment of a walk-in order, which is
    confirmed at once. Returns ``(payment, created)``; a replay returns the first payment.

    ``request_hash`` replaces the hash of ``(order_id, data)`` that tells a replay from a
    reuse of the key (a counter sale hashes its whole body). A browser paying on the
    provider's hosted page opens it with `open_checkout`.

    Raises 401; 404 (order not visible); 403 (not its buyer, or staff of an order with a
    buyer); 409 (order closed or paid, milestone not pending, another payment pending);
    422 (milestone missing or foreign, key reused with another body); 503 (provider not
    configured); 502 (the provider refused).
    """
    payment, created, _ = await _open(
        session, actor, providers, order_id, data, idempotency_key, request_hash, None
    )
    return payment, created


async def _open(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    order_id: uuid.UUID,
    data: PaymentIn,
    idempotency_key: str,
    request_hash: str | None,
    back: ReturnUrls | None,
) -> tuple[Payment, bool, Opened | None]:
    """`open_payment`, also returning what the provider opened (None for a replay)."""
    user_id = actor.require_user()
    payment_id = payment_id_for(user_id, idempotency_key)
    digest = request_hash or body_hash({"order_id": str(order_id), **data.model_dump(mode="json")})
    previous = await repository.get_payment(session, payment_id)
    if previous is not None:
        if previous.request_hash != digest:
            raise IdempotencyKeyReused()
        return previous, False, None
    access = await order_access(session, actor, order_id, lock=True)
    counter = _is_counter_payment(access, actor)
    if not (access.buyer or counter):
        raise Forbidden("Only the buyer pays an order")
    order = access.order
    if order.status in CLOSED_ORDERS:
        raise Conflict(
            f"A {order.status.value} order cannot be paid", order_status=order.status.value
        )
    amount = await _target_amount(session, order, data)
    if (pending := await repository.pending_of(session, order.id, data.milestone_id)) is not None:
        raise PaymentUnderWay(
            "A payment of this is pending; pay it or wait for it to fail",
            payment_id=str(pending.id),
        )
    if counter:
        name, account = PaymentProvider.MANUAL, None
    else:
        name, account = await business_settings.provider_of(session, order.business_id)
    provider = providers.get(name)
    payment = Payment(
        id=payment_id,
        order_id=order.id,
        milestone_id=data.milestone_id,
        business_id=order.business_id,
        payer_id=order.buyer_id,
        created_by=user_id,
        provider=name,
        method=(data.method or PaymentMethod.CASH) if name == PaymentProvider.MANUAL else None,
        amount_minor=amount,
        currency=order.currency,
        commission_bp=providers.commission_bp,
        idempotency_key=idempotency_key,
        request_hash=digest,
        account_id=account,
    )
    try:  # the flush claims the key: a concurrent twin waits here, then fails
        await PAYMENT_MACHINE.start(
            session, payment, actor_id=user_id, note=f"opened through {name.value}"
        )
    except IntegrityError:
        raise Conflict("This payment is already being opened; retry") from None
    opened = await provider.open(ProviderPayment.of(payment, order.number), back)
    payment.provider_reference, payment.client_secret = opened.reference, opened.client_secret
    await core_repository.flush(session)
    if counter:
        await fund_payment(session, providers, payment, order, user_id, note="paid at the counter")
    return payment, True, opened


async def open_checkout(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    order_id: uuid.UUID,
    data: PaymentIn,
    idempotency_key: str,
    back: ReturnUrls,
) -> tuple[Payment, str | None]:
    """`open_payment` for the buyer's browser, which comes back to ``back``. Returns the
    payment and the provider's hosted page to redirect the browser to (Stripe Checkout; for
    a replay, the same page while it is open), or None where the browser goes on otherwise
    (manual, Razorpay's form). Raises what `open_payment` raises."""
    payment, _, opened = await _open(
        session, actor, providers, order_id, data, idempotency_key, None, back
    )
    if opened is not None:
        return payment, opened.redirect_url
    if payment.status != PaymentState.PENDING:
        return payment, None
    return payment, await providers.get(payment.provider).checkout_url(
        await snapshot(session, payment)
    )


def _is_counter_payment(access: OrderAccess, actor: Actor) -> bool:
    """The seller's staff recording money received for a walk-in order (no buyer account)."""
    return access.staff and access.order.buyer_id is None and not access.buyer


async def readable_payment(
    session: AsyncSession, actor: Actor, payment_id: uuid.UUID
) -> tuple[Payment, OrderAccess]:
    """A payment whose order the caller may see; 404 otherwise."""
    actor.require_user()
    payment = await repository.get_payment(session, payment_id)
    if payment is None:
        raise NotFound("No such payment")
    try:
        access = await order_access(session, actor, payment.order_id)
    except NotFound:
        raise NotFound("No such payment") from None
    return payment, access


async def list_payments(
    session: AsyncSession, actor: Actor, order_id: uuid.UUID, *, history: bool = False
) -> list[Payment]:
    """The payments of an order the caller may see, oldest first; ``history`` loads each
    one's status history (`Payment.history`) too. Raises 401, 404."""
    await order_access(session, actor, order_id)
    return await repository.of_order(session, order_id, history=history)


async def with_history(session: AsyncSession, payment: Payment) -> Payment:
    """``payment`` with its status history (`Payment.history`: from, to, actor, note, time,
    oldest first) loaded as it is now, for an answer that shows it."""
    await repository.load_history(session, payment)
    return payment


async def _manual_for_staff(
    session: AsyncSession, actor: Actor, payment_id: uuid.UUID
) -> tuple[Payment, Order]:
    payment, access = await readable_payment(session, actor, payment_id)
    access.require_staff()
    if payment.provider != PaymentProvider.MANUAL:
        raise Conflict("Online payments are confirmed by their provider, not by hand")
    if payment.status != PaymentState.PENDING:
        raise InvalidTransition(
            f"This payment is {payment.status.value}, not pending",
            current_status=payment.status.value,
        )
    return payment, await orders_repository.locked_order(session, payment.order_id)


async def confirm_manual(
    session: AsyncSession, actor: Actor, providers: Providers, payment_id: uuid.UUID
) -> Payment:
    """The seller's staff confirm they received a manual payment (cash on delivery, UPI,
    bank transfer): it succeeds and its money goes into escrow. Raises 404, 403 (not staff),
    409 (online, not pending, or no longer payable)."""
    payment, order = await _manual_for_staff(session, actor, payment_id)
    if not await is_payable(session, payment, order):
        raise Conflict("What this payment was for is no longer payable; reject it instead")
    await fund_payment(session, providers, payment, order, actor.user_id, note="confirmed by staff")
    return payment


async def reject_manual(session: AsyncSession, actor: Actor, payment_id: uuid.UUID) -> Payment:
    """The seller's staff say a manual payment never arrived: it fails (nothing is posted)."""
    payment, _ = await _manual_for_staff(session, actor, payment_id)
    await fail_payment(session, payment, actor.user_id, "rejected by staff")
    return payment


async def razorpay_callback(
    session: AsyncSession, actor: Actor, providers: Providers, fields: Mapping[str, str]
) -> Payment:
    """The buyer's browser hands over Razorpay Checkout's signed result. The signature is
    verified and the payment fetched from Razorpay before it counts (`checkout_return`).
    Raises 400 (bad signature), 404 (no such payment of the caller's), 409, 502, 503."""
    payment = await repository.by_reference(
        session, PaymentProvider.RAZORPAY, fields.get("razorpay_order_id")
    )
    if payment is None:
        raise NotFound("No such payment")
    return await checkout_return(session, actor, providers, payment.id, fields)


async def checkout_return(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    payment_id: uuid.UUID,
    fields: Mapping[str, str],
) -> Payment:
    """The buyer's browser is back from the provider's hosted checkout with ``fields``
    (Razorpay's signed ids, Stripe's ``session_id``): the provider is asked what it received
    (`funding.settle_checkout`), which counts once however often the browser comes back or
    a webhook came first. A payment that has not been paid stays pending.

    Raises 404 (no such payment of the caller's), 400 (the fields do not verify or name
    another payment), `NotPaid` (409: not paid), `AmountMismatch` (409: the provider
    received another amount or currency; nothing counted), 502, 503."""
    payment = await repository.get_payment(session, payment_id)
    if payment is None or payment.payer_id != actor.require_user():
        raise NotFound("No such payment")
    outcome = await settle_checkout(
        session, providers, payment, fields, actor.user_id, _checkout_note(payment)
    )
    if outcome == "amount_mismatch":
        raise AmountMismatch("The provider received another amount or currency than this payment's")
    await repository.reload(session, payment)
    return payment


def _checkout_note(payment: Payment) -> str:
    """How a payment settled on the buyer's return from a hosted checkout is noted."""
    return f"{payment.provider.value} checkout"


async def resume_checkout(
    session: AsyncSession, actor: Actor, providers: Providers, payment_id: uuid.UUID
) -> tuple[Payment, str | None]:
    """The buyer goes back to the provider's hosted page of their pending payment. Returns
    the page's URL, or None when it can no longer be paid there; the payment is then
    settled by what the provider says: paid meanwhile (recorded), or expired (failed, so
    that the buyer may pay anew). Raises 404 (not the caller's pending payment with a hosted
    page), 409 (the provider received another amount), 502, 503."""
    payment, access = await readable_payment(session, actor, payment_id)
    if not access.buyer or payment.status != PaymentState.PENDING:
        raise NotFound("No such payment")
    provider = providers.get(payment.provider)
    if not provider.redirects:
        raise NotFound("No such payment")
    url = await provider.checkout_url(await snapshot(session, payment))
    if url is not None:
        return payment, url
    note = _checkout_note(payment)
    try:
        outcome = await settle_checkout(session, providers, payment, {}, actor.user_id, note)
    except NotPaid as exc:
        if exc.expired:
            await fail_payment(session, payment, actor.user_id, f"{note} expired")
        return payment, None
    if outcome == "amount_mismatch":
        raise AmountMismatch("The provider received another amount or currency than this payment's")
    await repository.reload(session, payment)
    return payment, None
