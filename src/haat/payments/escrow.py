"""Escrow milestones (the export-marketplace use case) and the release of escrowed money.

An order may be paid in milestones (e.g. 30 % advance at production start, 40 % at quality
check, 30 % on delivery) set by the seller's staff while the order is unpaid, as amounts or as
percentages (split with `core.money.allocate`, so they sum to the total exactly). Each
milestone moves through `TRANSITIONS`; every change is a `MilestoneStatusChange` with actor
and time. A milestone is released by the buyer, or by a platform admin on a dispute; an order
without milestones is paid as a whole and released to the seller when it is delivered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import CursorResult, Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from haat.commerce.models import Order, OrderStatus, PaymentStatus
from haat.core.db import utcnow
from haat.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, Unprocessable
from haat.core.money import allocate
from haat.identity.actor import Actor
from haat.payments import ledger, postings
from haat.payments.access import order_access
from haat.payments.models import (
    Milestone,
    MilestoneStatus,
    MilestoneStatusChange,
    Payment,
    PaymentState,
)
from haat.payments.providers import ProviderPayment, Providers
from haat.payments.schemas import MilestonesIn

M = MilestoneStatus
MAX_MILESTONES = 10
PLANNABLE = frozenset({OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.PROCESSING})


@dataclass(frozen=True)
class MilestoneTransition:
    sources: frozenset[MilestoneStatus]
    stamp: str  # the timestamp column set on arrival
    by: str  # who or what makes it (documentation; checked by the calling service)


TRANSITIONS: dict[MilestoneStatus, MilestoneTransition] = {
    M.FUNDED: MilestoneTransition(frozenset({M.PENDING}), "funded_at", "the buyer's payment"),
    M.RELEASED: MilestoneTransition(
        frozenset({M.FUNDED}), "released_at", "the buyer, or a platform admin on a dispute"
    ),
    M.REFUNDED: MilestoneTransition(
        frozenset({M.FUNDED, M.RELEASED}),
        "refunded_at",
        "cancelling or refunding the order, or a platform admin on a dispute",
    ),
    M.CANCELLED: MilestoneTransition(frozenset({M.PENDING}), "cancelled_at", "cancelling"),
}


async def move(
    session: AsyncSession,
    milestone_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    target: MilestoneStatus,
    note: str | None = None,
) -> MilestoneStatus:
    """Move a milestone to ``target`` by compare-and-set on its status and record the change
    (``actor_id`` None: the provider's webhook). Returns the status it left. Raises
    `InvalidTransition` (409) when ``target`` is not allowed from the current status, also
    when a concurrent request moved it first."""
    transition = TRANSITIONS[target]
    before = await session.scalar(select(Milestone.status).where(Milestone.id == milestone_id))
    if before is None:
        raise NotFound("No such milestone")
    if before not in transition.sources:
        raise InvalidTransition(
            f"Cannot move a {before.value} milestone to {target.value}",
            current_status=before.value,
        )
    now = utcnow()
    result = await session.execute(
        update(Milestone)
        .where(Milestone.id == milestone_id, Milestone.status == before)
        .values({"status": target, "updated_at": now, transition.stamp: now})
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise InvalidTransition("The milestone changed while you were acting; reload it")
    session.add(
        MilestoneStatusChange(
            milestone_id=milestone_id,
            actor_id=actor_id,
            from_status=before,
            to_status=target,
            note=note,
        )
    )
    return before


def _milestones(order_id: uuid.UUID) -> Select[Milestone]:
    return (
        select(Milestone)
        .where(Milestone.order_id == order_id)
        .order_by(Milestone.position)
        .options(selectinload(Milestone.history))
        .execution_options(populate_existing=True)
    )


async def milestones_of(session: AsyncSession, order_id: uuid.UUID) -> list[Milestone]:
    """The order's milestones in order, with their history loaded."""
    return list((await session.scalars(_milestones(order_id))).all())


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
    if await _open_payment(session, order.id) is not None:
        raise Conflict("A payment of this order is under way; milestones cannot change now")
    pairs = split(order.total_minor, data)
    await session.execute(delete(Milestone).where(Milestone.order_id == order.id))
    for position, ((amount, percent), item) in enumerate(zip(pairs, data.milestones, strict=True)):
        milestone = Milestone(
            order_id=order.id,
            position=position,
            title=item.title,
            amount_minor=amount,
            currency=order.currency,
            percent_bp=percent,
            status=M.PENDING,
        )
        session.add(milestone)
        await session.flush()
        session.add(
            MilestoneStatusChange(
                milestone_id=milestone.id, actor_id=actor.user_id, to_status=M.PENDING
            )
        )
    order.updated_at = utcnow()
    await session.flush()
    return await milestones_of(session, order.id)


async def _open_payment(session: AsyncSession, order_id: uuid.UUID) -> Payment | None:
    return await session.scalar(
        select(Payment)
        .where(
            Payment.order_id == order_id,
            Payment.status.in_([PaymentState.PENDING, PaymentState.SUCCEEDED]),
        )
        .limit(1)
    )


async def release_payment(
    session: AsyncSession, providers: Providers, payment: Payment, order: Order
) -> None:
    """Credit the seller with a succeeded payment, less the platform's commission, and pay
    the seller's share out through the provider (a transfer, or lifting a Razorpay hold).
    Compare-and-set on ``released_at``: raises `InvalidTransition` (409) when already done."""
    now = utcnow()
    result = await session.execute(
        update(Payment)
        .where(
            Payment.id == payment.id,
            Payment.status == PaymentState.SUCCEEDED,
            Payment.released_at.is_(None),
        )
        .values(released_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise InvalidTransition("This payment was already released or refunded")
    await session.refresh(payment)
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
    await session.flush()


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
    payment = await session.scalar(
        select(Payment).where(
            Payment.milestone_id == milestone.id, Payment.status == PaymentState.SUCCEEDED
        )
    )
    if payment is None:  # funded milestones always have their payment; guard the invariant
        raise Conflict("This milestone has no succeeded payment to release")
    await release_payment(session, providers, payment, access.order)
    await session.flush()
    return next(m for m in await milestones_of(session, order_id) if m.id == milestone.id)


async def milestone_of(
    session: AsyncSession, order_id: uuid.UUID, milestone_id: uuid.UUID
) -> Milestone:
    """The milestone ``milestone_id`` of order ``order_id``; raises `NotFound` otherwise."""
    milestone = await session.get(Milestone, milestone_id)
    if milestone is None or milestone.order_id != order_id:
        raise NotFound("No such milestone")
    return milestone


async def release_on_delivery(session: AsyncSession, providers: Providers, order: Order) -> None:
    """An order paid as a whole is released to the seller when it is delivered."""
    rows = await session.scalars(
        select(Payment).where(
            Payment.order_id == order.id,
            Payment.milestone_id.is_(None),
            Payment.status == PaymentState.SUCCEEDED,
            Payment.released_at.is_(None),
        )
    )
    for payment in rows.all():
        await release_payment(session, providers, payment, order)
