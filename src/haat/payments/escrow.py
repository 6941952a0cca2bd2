"""Escrow milestones (the export-marketplace use case) and the release of escrowed money.

An order may be paid in milestones (e.g. 30 % advance at production start, 40 % at quality
check, 30 % on delivery) set by the seller's staff while the order is unpaid, as amounts or as
percentages (split with `core.money.allocate`, so they sum to the total exactly). Each
milestone moves through `haat.payments.states.MILESTONE_MACHINE`; every change is a
`MilestoneStatusChange` with actor, note and time. A milestone is released by the buyer, or
by a platform admin on a dispute; an order without milestones is paid as a whole and
released to the seller when it is delivered.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce import orders
from haat.commerce.models import Order, OrderStatus, PaymentStatus
from haat.core import repository as core_repository
from haat.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, Unprocessable
from haat.core.money import allocate
from haat.identity.actor import Actor
from haat.payments import ledger, postings
from haat.payments.access import order_access
from haat.payments.models import Milestone, MilestoneStatus, Payment
from haat.payments.providers import ProviderPayment, Providers
from haat.payments.repository import milestones as repository
from haat.payments.repository import payments as payments_repository
from haat.payments.schemas import MilestonesIn
from haat.payments.states import MILESTONE_MACHINE

M = MilestoneStatus
MAX_MILESTONES = 10
PLANNABLE = frozenset({OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.PROCESSING})


async def move(
    session: AsyncSession,
    milestone_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    target: MilestoneStatus,
    note: str | None = None,
) -> MilestoneStatus:
    """Move a milestone to ``target`` from its current status through `MILESTONE_MACHINE`
    (compare-and-set, history row with ``actor_id``, None for the provider's webhook, and
    ``note``). Returns the status it left. Raises `NotFound` (404) for no such milestone and
    `InvalidTransition` (409) when ``target`` is not allowed from the current status, also
    when a concurrent request moved it first."""
    before = await repository.status_of(session, milestone_id)
    if before is None:
        raise NotFound("No such milestone")
    await MILESTONE_MACHINE.move(
        session, milestone_id, before, target, actor_id=actor_id, note=note
    )
    return before


async def milestones_of(session: AsyncSession, order_id: uuid.UUID) -> list[Milestone]:
    """The order's milestones in order, with their history loaded."""
    return await repository.of_order(session, order_id)


async def list_milestones(
    session: AsyncSession, actor: Actor, order_id: uuid.UUID
) -> list[Milestone]:
    """Milestones of an order the caller may see (404 otherwise)."""
    await order_access(session, actor, order_id)
    return await milestones_of(session, order_id)


def split(total: int, data: MilestonesIn) -> list[tuple[int, int | None]]:
    """``[(amount_minor, percent_bp or None)]`` for each milestone asked for. Amounts must sum
    to ``total``; percentages (basis points) to 10000, split with `allocate` (largest
    remainder). Raises `Unprocessable` (422) otherwise, or for a part that comes to zero."""
    items = data.milestones
    by_percent = [m.percent_bp is not None for m in items]
    if any(by_percent) and not all(by_percent):
        raise Unprocessable("Give every milestone an amount, or every one a percentage")
    if items and all(by_percent):
        ratios = [int(m.percent_bp or 0) for m in items]
        if sum(ratios) != 10_000:
            raise Unprocessable(f"Percentages must add up to 100 % (10000 bp), not {sum(ratios)}")
        parts = allocate(total, ratios)
        pairs: list[tuple[int, int | None]] = list(zip(parts, ratios, strict=True))
    else:
        pairs = [(int(m.amount_minor or 0), None) for m in items]
        if sum(a for a, _ in pairs) != total:
            raise Unprocessable(
                f"Milestone amounts add up to {sum(a for a, _ in pairs)}, "
                f"the order total is {total}"
            )
    if any(amount <= 0 for amount, _ in pairs):
        raise Unprocessable("Every milestone must come to at least one minor unit")
    return pairs


async def set_milestones(
    session: AsyncSession, actor: Actor, order_id: uuid.UUID, data: MilestonesIn
) -> list[Milestone]:
    """Replace the order's milestones (an empty list: pay the order as a whole). For the
    selling business's admins and editors (and platform admins), on an unpaid order that is
    pending, confirmed or processing with no payment under way. Raises 404, 403, 409 (paid,
    a payment pending, or a status past processing) and 422 (`split`)."""
    access = await order_access(session, actor, order_id, lock=True)
    access.require_staff()
    order = access.order
    if order.status not in PLANNABLE or order.payment_status != PaymentStatus.UNPAID:
        raise Conflict(
            "Milestones can be set only on an unpaid order before it ships",
            order_status=order.status.value,
            payment_status=order.payment_status.value,
        )
    if await payments_repository.any_open(session, order.id):
        raise Conflict("A payment of this order is under way; milestones cannot change now")
    pairs = split(order.total_minor, data)
    await repository.delete_of_order(session, order.id)
    for position, ((amount, percent), item) in enumerate(zip(pairs, data.milestones, strict=True)):
        milestone = Milestone(
            order_id=order.id,
            position=position,
            title=item.title,
            amount_minor=amount,
            currency=order.currency,
            percent_bp=percent,
        )
        await MILESTONE_MACHINE.start(session, milestone, actor_id=actor.user_id, flush=False)
    await orders.touch(session, order.id)
    await core_repository.flush(session)
    return await milestones_of(session, order.id)


async def release_payment(
    session: AsyncSession, providers: Providers, payment: Payment, order: Order
) -> None:
    """Credit the seller with a succeeded payment, less the platform's commission, and pay
    the seller's share out through the provider (a transfer, or lifting a Razorpay hold).
    Compare-and-set on ``released_at``: raises `InvalidTransition` (409) when already done."""
    if not await payments_repository.mark_released(session, payment.id):
        raise InvalidTransition("This payment was already released or refunded")
    await payments_repository.reload(session, payment)
    fee = postings.commission(payment.amount_minor, payment.commission_bp)
    share = payment.amount_minor - fee
    await ledger.post(
        session,
        description=f"Order {order.number}: payment released to the seller, less commission",
        reference=("order", order.id),
        lines=postings.release(
            payment.amount_minor, fee, payment.currency, order.id, order.business_id
        ),
        idempotency_key=f"payment:{payment.id}:release",
    )
    provider = providers.get(payment.provider)
    if not provider.online or share == 0:
        return
    payment.transfer_reference = await provider.release(
        ProviderPayment.of(payment, order.number), share
    )
    await ledger.post(
        session,
        description=f"Order {order.number}: seller's share transferred by {provider.name.value}",
        reference=("order", order.id),
        lines=postings.transfer(share, payment.currency, order.business_id),
        idempotency_key=f"payment:{payment.id}:transfer",
    )
    await core_repository.flush(session)


async def release_milestone(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    order_id: uuid.UUID,
    milestone_id: uuid.UUID,
    note: str | None = None,
) -> Milestone:
    """Release a funded milestone to the seller: by the order's buyer, or by a platform admin
    (a dispute). Raises 404 (order or milestone not visible), 403 (the seller's staff or
    anyone else), 409 (not funded, or released concurrently: one release wins), 502 when the
    provider refuses the transfer (nothing is recorded then)."""
    access = await order_access(session, actor, order_id)
    milestone = await milestone_of(session, order_id, milestone_id)
    if not (access.buyer or actor.is_platform_admin):
        raise Forbidden("Only the buyer, or a platform admin on a dispute, releases a milestone")
    await move(session, milestone.id, actor.user_id, M.RELEASED, note)
    payment = await payments_repository.succeeded_of_milestone(session, milestone.id)
    if payment is None:  # funded milestones always have their payment; guard the invariant
        raise Conflict("This milestone has no succeeded payment to release")
    await release_payment(session, providers, payment, access.order)
    await core_repository.flush(session)
    return next(m for m in await milestones_of(session, order_id) if m.id == milestone.id)


async def milestone_of(
    session: AsyncSession, order_id: uuid.UUID, milestone_id: uuid.UUID
) -> Milestone:
    """The milestone ``milestone_id`` of order ``order_id``; raises `NotFound` otherwise."""
    milestone = await repository.get_milestone(session, milestone_id)
    if milestone is None or milestone.order_id != order_id:
        raise NotFound("No such milestone")
    return milestone


async def release_on_delivery(session: AsyncSession, providers: Providers, order: Order) -> None:
    """An order paid as a whole is released to the seller when it is delivered."""
    for payment in await payments_repository.unreleased_of_whole_order(session, order.id):
        await release_payment(session, providers, payment, order)
