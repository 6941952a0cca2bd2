"""Money going back to the buyer: refunds of payments, through the provider and the ledger.

Cancelling an order refunds what is still in escrow (released milestones stay with the
seller); refunding an order (its status `refunded`) also takes back what was released, so the
buyer gets everything. A platform admin may refund one funded milestone on a dispute.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order
from haat.core import repository as core_repository
from haat.core.errors import Conflict, InvalidTransition
from haat.identity.actor import Actor
from haat.payments import escrow, ledger, postings
from haat.payments.access import order_access
from haat.payments.models import Milestone, MilestoneStatus, Payment, PaymentState
from haat.payments.payment_status import sync_payment_status
from haat.payments.providers import ProviderPayment, Providers
from haat.payments.repository import milestones as milestones_repository
from haat.payments.repository import payments as repository
from haat.payments.states import PAYMENT_MACHINE


async def refund_payment(
    session: AsyncSession,
    providers: Providers,
    payment: Payment,
    order: Order,
    actor_id: uuid.UUID | None,
    reason: str,
) -> None:
    """Refund a succeeded payment in full: it moves to ``refunded`` (`PAYMENT_MACHINE`, with
    ``actor_id`` and ``reason`` in its history); if it was
    released, the release (and the seller's transfer) is reversed first; then the provider
    refunds and the escrow goes back. Its milestone, if funded or released, becomes refunded.
    Raises `InvalidTransition` (409) when it is not succeeded, `ProviderError` (502) when the
    provider refuses (the whole transaction then rolls back)."""
    try:
        await PAYMENT_MACHINE.move(
            session,
            payment.id,
            PaymentState.SUCCEEDED,
            PaymentState.REFUNDED,
            actor_id=actor_id,
            note=reason,
        )
    except InvalidTransition:
        raise InvalidTransition("Only a succeeded payment can be refunded") from None
    await repository.reload(session, payment)
    provider = providers.get(payment.provider)
    amount, currency = payment.amount_minor, payment.currency
    fee = postings.commission(amount, payment.commission_bp)
    key = f"payment:{payment.id}"
    if payment.released_at is not None:
        await ledger.post(
            session,
            description=f"Order {order.number}: release reversed ({reason})",
            reference=("order", order.id),
            lines=postings.reverse(
                postings.release(amount, fee, currency, order.id, order.business_id)
            ),
            idempotency_key=f"{key}:unrelease",
        )
        if provider.online and payment.transfer_reference and amount - fee:
            await ledger.post(
                session,
                description=f"Order {order.number}: seller's transfer reversed",
                reference=("order", order.id),
                lines=postings.reverse(
                    postings.transfer(amount - fee, currency, order.business_id)
                ),
                idempotency_key=f"{key}:untransfer",
            )
    payment.refund_reference = await provider.refund(ProviderPayment.of(payment, order.number))
    await ledger.post(
        session,
        description=f"Order {order.number}: payment refunded ({reason})",
        reference=("order", order.id),
        lines=postings.refund(
            amount, currency, order.id, order.business_id, online=provider.online
        ),
        idempotency_key=f"{key}:refund",
    )
    if payment.milestone_id is not None:
        status = await milestones_repository.status_of(session, payment.milestone_id)
        if status in (MilestoneStatus.FUNDED, MilestoneStatus.RELEASED):
            await escrow.move(
                session, payment.milestone_id, actor_id, MilestoneStatus.REFUNDED, reason
            )
    await core_repository.flush(session)
    await sync_payment_status(session, order.id)


async def _close_unpaid(
    session: AsyncSession,
    providers: Providers,
    order: Order,
    actor_id: uuid.UUID | None,
    reason: str,
) -> None:
    """Cancel the order's pending payments (at the provider too; ``reason`` in their
    history) and its pending milestones."""
    for payment in await repository.of_order(session, order.id, (PaymentState.PENDING,)):
        await PAYMENT_MACHINE.move(
            session,
            payment.id,
            PaymentState.PENDING,
            PaymentState.CANCELLED,
            actor_id=actor_id,
            note=reason,
        )
        await providers.get(payment.provider).cancel(ProviderPayment.of(payment, order.number))
    for milestone_id in await milestones_repository.pending_ids(session, order.id):
        await escrow.move(
            session, milestone_id, actor_id, MilestoneStatus.CANCELLED, "order cancelled"
        )
    await core_repository.flush(session)


async def on_cancel(
    session: AsyncSession, providers: Providers, order: Order, actor_id: uuid.UUID | None
) -> None:
    """The order was cancelled: refund every payment still in escrow, cancel what is unpaid.
    Money already released to the seller stays released (refund the order to take it back)."""
    for payment in await repository.of_order(session, order.id, (PaymentState.SUCCEEDED,)):
        if payment.released_at is None:
            await refund_payment(session, providers, payment, order, actor_id, "order cancelled")
    await _close_unpaid(session, providers, order, actor_id, "order cancelled")
    await sync_payment_status(session, order.id)


async def on_refund(
    session: AsyncSession, providers: Providers, order: Order, actor_id: uuid.UUID | None
) -> None:
    """The order was refunded: every succeeded payment goes back to the buyer, released or
    not (the seller's transfers are reversed), and what is unpaid is cancelled."""
    for payment in await repository.of_order(session, order.id, (PaymentState.SUCCEEDED,)):
        await refund_payment(session, providers, payment, order, actor_id, "order refunded")
    await _close_unpaid(session, providers, order, actor_id, "order refunded")
    await sync_payment_status(session, order.id)


async def refund_milestone(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    order_id: uuid.UUID,
    milestone_id: uuid.UUID,
    note: str | None,
) -> Milestone:
    """A platform admin settles a dispute for the buyer: the funded milestone's payment is
    refunded from escrow. Raises 401, 403 (anyone else), 404, 409 (not funded)."""
    actor.require_platform_admin()
    access = await order_access(session, actor, order_id, lock=True)
    milestone = await escrow.milestone_of(session, order_id, milestone_id)
    if milestone.status != MilestoneStatus.FUNDED:
        raise InvalidTransition(
            f"Cannot refund a {milestone.status.value} milestone on a dispute",
            current_status=milestone.status.value,
        )
    payment = await repository.succeeded_of_milestone(session, milestone.id)
    if payment is None:
        raise Conflict("This milestone has no succeeded payment to refund")
    await refund_payment(
        session,
        providers,
        payment,
        access.order,
        actor.user_id,
        note or "dispute settled for the buyer",
    )
    return next(m for m in await escrow.milestones_of(session, order_id) if m.id == milestone_id)
