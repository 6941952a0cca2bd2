"""The order status machine: allowed transitions, who may make them, what each one does.

pending -> confirmed -> processing -> shipped -> delivered -> completed; cancelled before
shipping (stock goes back); refunded after delivery or cancellation (the payment side lives in
`payments`). Staff are the business's admins and editors; buyers may cancel before processing
and complete a delivered order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import BusinessRole
from haat.businesses.service import role_of
from haat.catalog import stock
from haat.commerce.models import Order, OrderItem, OrderStatus, OrderStatusChange
from haat.core.db import utcnow
from haat.core.errors import Forbidden, InvalidTransition, NotFound
from haat.identity.actor import Actor
from haat.insights import recorder as events
from haat.insights.models import EventKind

S = OrderStatus
STAFF = frozenset({BusinessRole.ADMIN, BusinessRole.EDITOR})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[OrderStatus]
    staff: bool = True
    buyer_from: frozenset[OrderStatus] = frozenset()
    stamp: str | None = None  # the timestamp column set on arrival


TRANSITIONS: dict[OrderStatus, Transition] = {
    S.CONFIRMED: Transition(frozenset({S.PENDING}), stamp="confirmed_at"),
    S.PROCESSING: Transition(frozenset({S.CONFIRMED})),
    S.SHIPPED: Transition(frozenset({S.PROCESSING}), stamp="shipped_at"),
    S.DELIVERED: Transition(frozenset({S.SHIPPED}), stamp="delivered_at"),
    S.COMPLETED: Transition(
        frozenset({S.DELIVERED}), buyer_from=frozenset({S.DELIVERED}), stamp="completed_at"
    ),
    S.CANCELLED: Transition(
        frozenset({S.PENDING, S.CONFIRMED, S.PROCESSING}),
        buyer_from=frozenset({S.PENDING, S.CONFIRMED}),
        stamp="cancelled_at",
    ),
    S.REFUNDED: Transition(frozenset({S.DELIVERED, S.COMPLETED, S.CANCELLED}), stamp="refunded_at"),
}


def allowed_targets(current: OrderStatus, *, staff: bool, buyer: bool) -> list[OrderStatus]:
    """The statuses an order in ``current`` may move to for a caller who is its business's
    staff and/or its buyer, in the order of the table."""
    return [
        target
        for target, t in TRANSITIONS.items()
        if (staff and current in t.sources) or (buyer and current in t.buyer_from)
    ]


async def readable_order(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    """An order its buyer, its business's members or a platform admin may see; else 404."""
    user_id = actor.require_user()
    order = await session.get(Order, order_id)
    if order is None:
        raise NotFound("No such order")
    if order.buyer_id == user_id or actor.is_platform_admin:
        return order
    if await role_of(session, actor, order.business_id) is None:
        raise NotFound("No such order")
    return order


async def is_staff(session: AsyncSession, actor: Actor, order: Order) -> bool:
    """True for the order's business admins and editors, and platform admins."""
    if actor.is_platform_admin:
        return True
    return await role_of(session, actor, order.business_id) in STAFF


def record(
    session: AsyncSession,
    order: Order,
    actor: Actor,
    before: OrderStatus | None,
    after: OrderStatus,
    note: str | None = None,
) -> None:
    session.add(
        OrderStatusChange(
            order_id=order.id,
            actor_id=actor.user_id,
            from_status=before,
            to_status=after,
            note=note,
        )
    )


async def change_status(
    session: AsyncSession,
    actor: Actor,
    order_id: uuid.UUID,
    target: OrderStatus,
    note: str | None = None,
) -> Order:
    """Move an order to ``target``. Raises 404 (not visible), 403 (role), 409 (not allowed
    from the current status, or changed concurrently). Cancelling puts the stock back."""
    order = await readable_order(session, actor, order_id)
    transition = TRANSITIONS.get(target)
    if transition is None:
        raise InvalidTransition(f"An order cannot be moved to {target.value}")
    staff = await is_staff(session, actor, order)
    is_buyer = order.buyer_id is not None and order.buyer_id == actor.user_id
    if not staff and not (is_buyer and transition.buyer_from):
        raise Forbidden("Your role does not allow this change")
    allowed = transition.sources if staff else transition.buyer_from
    before = order.status
    if before not in allowed:
        raise InvalidTransition(
            f"Cannot move a {before.value} order to {target.value}", current_status=before.value
        )
    now = utcnow()
    values: dict[str, object] = {"status": target, "updated_at": now}
    if transition.stamp:
        values[transition.stamp] = now
    result = await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status == before)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise InvalidTransition("The order changed while you were acting; reload it")
    if target == S.CANCELLED:
        await restock(session, order_id)
        if order.buyer_id is not None:  # a shopper's order (not a walk-in sale)
            events.record(
                session,
                actor,
                EventKind.ORDER_CANCELLED,
                user_id=order.buyer_id,
                order_id=order.id,
                order_number=order.number,
                from_status=before,
                by="buyer" if is_buyer and not staff else "staff",
                currency=order.currency,
                total_minor=order.total_minor,
            )
    record(session, order, actor, before, target, note)
    await session.flush()
    await session.refresh(order)
    return order


async def restock(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Give a cancelled order's quantities back to its products."""
    items = await session.execute(
        select(OrderItem.product_id, OrderItem.quantity).where(OrderItem.order_id == order_id)
    )
    await stock.give_back(
        session, [(product_id, quantity) for product_id, quantity in items.all() if product_id]
    )
