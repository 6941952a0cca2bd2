"""Money arriving: a payment succeeds, its amount goes into the order's escrow, and the
order's ``payment_status`` follows its payments.

A payment succeeds only through its provider's verified webhook or callback (a hosted
checkout read back from the provider, `settle_checkout`), or (manual) the seller's staff
confirming it. Money that arrives for something no longer payable (an order
cancelled meanwhile, a milestone another payment funded first) is taken into the books and
refunded at once, so that no rupee is kept without a reason nor lost from the ledger.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order, OrderStatus
from haat.core import repository as core_repository
from haat.core.errors import InvalidTransition
from haat.payments import escrow, ledger, postings
from haat.payments.models import MilestoneStatus, Payment, PaymentState
from haat.payments.payment_status import sync_payment_status
from haat.payments.providers import Captured, ProviderPayment, Providers
from haat.payments.refunds import refund_payment
from haat.payments.repository import milestones as milestones_repository
from haat.payments.repository import orders as orders_repository
from haat.payments.repository import payments as repository
from haat.payments.states import PAYMENT_MACHINE

log = logging.getLogger("haat.payments")
CLOSED_ORDERS = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})


async def is_payable(session: AsyncSession, payment: Payment, order: Order) -> bool:
    """Whether the money of ``payment`` can still fund what it was for: the order is not
    cancelled or refunded, and its milestone (or the order as a whole) has no other
    succeeded payment."""
    if order.status in CLOSED_ORDERS:
        return False
    if payment.milestone_id is not None:
        status = await milestones_repository.status_of(session, payment.milestone_id)
        return status == MilestoneStatus.PENDING
    return not await repository.other_succeeded(session, order.id, payment.id)


async def fund_payment(
    session: AsyncSession,
    providers: Providers,
    payment: Payment,
    order: Order,
    actor_id: uuid.UUID | None,
    *,
    provider_payment_id: str | None = None,
    provider_reference: str | None = None,
    into_escrow: bool = True,
    note: str | None = None,
) -> None:
    """Mark ``payment`` succeeded (`PAYMENT_MACHINE`, from pending, failed or cancelled, with
    ``actor_id``, None for a provider's webhook, and ``note`` in its history) and post its
    money into the order's escrow. With ``into_escrow`` (the normal case) its milestone
    becomes funded, a Razorpay Route transfer is put on hold for the seller, a whole-order
    payment of an order already delivered is released at once, and the order's
    ``payment_status`` follows. ``provider_reference`` replaces the recorded one (a Stripe
    Checkout Session's PaymentIntent). Raises `InvalidTransition` (409) when it already
    succeeded."""
    values: dict[str, object] = {"confirmed_by": actor_id}
    if provider_payment_id:
        values["provider_payment_id"] = provider_payment_id
    if provider_reference:
        values["provider_reference"] = provider_reference
    try:
        await PAYMENT_MACHINE.move(
            session,
            payment.id,
            payment.status,
            PaymentState.SUCCEEDED,
            actor_id=actor_id,
            note=note,
            values=values,
        )
    except InvalidTransition:
        raise InvalidTransition(
            "This payment was already confirmed", current_status=payment.status.value
        ) from None
    await repository.reload(session, payment)
    provider = providers.get(payment.provider)
    await ledger.post(
        session,
        description=f"Order {order.number}: payment received ({provider.name.value}), in escrow",
        reference=("order", order.id),
        lines=postings.fund(
            payment.amount_minor,
            payment.currency,
            order.id,
            order.business_id,
            online=provider.online,
        ),
        idempotency_key=f"payment:{payment.id}:fund",
    )
    if not into_escrow:
        return
    if payment.milestone_id is not None:
        await escrow.move(session, payment.milestone_id, actor_id, MilestoneStatus.FUNDED)
    fee = postings.commission(payment.amount_minor, payment.commission_bp)
    held = await provider.hold(
        ProviderPayment.of(payment, order.number), payment.amount_minor - fee
    )
    if held:
        payment.transfer_reference = held
    await core_repository.flush(session)
    if payment.milestone_id is None and order.status in (
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    ):
        await escrow.release_payment(session, providers, payment, order)
    await sync_payment_status(session, order.id)


async def record_capture(
    session: AsyncSession,
    providers: Providers,
    payment: Payment,
    captured: Captured,
    actor_id: uuid.UUID | None,
    note: str | None = None,
) -> str:
    """Apply money a provider verifiably received for ``payment`` (its ``reference`` becomes
    the payment's, its ``payment_id`` the provider payment id; ``note`` says how it came, for
    the payment's history). Returns the outcome:
    ``already_settled`` (a replay: nothing done), ``amount_mismatch`` (not counted; logged
    for the operator), ``funded``, or ``late_refunded`` (no longer payable: taken into the
    books and refunded through the provider at once)."""
    if payment.status in (PaymentState.SUCCEEDED, PaymentState.REFUNDED):
        return "already_settled"
    if (captured.amount_minor, captured.currency) != (payment.amount_minor, payment.currency):
        log.warning(
            "payment %s: provider reports %s %s, expected %s %s; not counted",
            payment.id,
            captured.amount_minor,
            captured.currency,
            payment.amount_minor,
            payment.currency,
        )
        return "amount_mismatch"
    order = await orders_repository.locked_order(session, payment.order_id)
    await repository.reload(session, payment)  # under the order's lock: a twin has finished
    if payment.status in (PaymentState.SUCCEEDED, PaymentState.REFUNDED):
        return "already_settled"
    into_escrow = await is_payable(session, payment, order)
    await fund_payment(
        session,
        providers,
        payment,
        order,
        actor_id,
        provider_payment_id=captured.payment_id,
        provider_reference=captured.reference,
        into_escrow=into_escrow,
        note=note,
    )
    if into_escrow:
        return "funded"
    await refund_payment(
        session, providers, payment, order, actor_id, "arrived after it was no longer due"
    )
    return "late_refunded"


async def snapshot(session: AsyncSession, payment: Payment) -> ProviderPayment:
    """What ``payment``'s provider needs to know of it (with its order's number)."""
    return ProviderPayment.of(payment, await orders_repository.number_of(session, payment.order_id))


async def settle_checkout(
    session: AsyncSession,
    providers: Providers,
    payment: Payment,
    fields: Mapping[str, str],
    actor_id: uuid.UUID | None,
    note: str | None = None,
) -> str:
    """Read ``payment``'s hosted checkout back from its provider (`Provider.verify_checkout`;
    ``fields`` from the buyer's browser, empty for a webhook) and apply what it received
    (`record_capture`, whose outcome is returned). A payment already settled is left alone
    (``already_settled``) without asking the provider. Raises `BadSignature` (400),
    `NotPaid` (409), `ProviderError` (502)."""
    if payment.status in (PaymentState.SUCCEEDED, PaymentState.REFUNDED):
        return "already_settled"
    provider = providers.get(payment.provider)
    captured = await provider.verify_checkout(await snapshot(session, payment), fields)
    return await record_capture(session, providers, payment, captured, actor_id, note)


async def fail_payment(
    session: AsyncSession, payment: Payment, actor_id: uuid.UUID | None, note: str | None = None
) -> bool:
    """Mark a pending payment failed (the provider said so, or the staff never received
    it), with ``actor_id`` and ``note`` in its history. Returns False when it was not
    pending (nothing changed)."""
    try:
        await PAYMENT_MACHINE.move(
            session,
            payment.id,
            PaymentState.PENDING,
            PaymentState.FAILED,
            actor_id=actor_id,
            note=note,
            values={"confirmed_by": actor_id},
        )
    except InvalidTransition:
        moved = False
    else:
        moved = True
    await repository.reload(session, payment)
    return moved
