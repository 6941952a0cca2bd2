"""Moving an order: who may make which move of `ORDER_MACHINE`, and what each one does.

The machine (`haat.commerce.states`) knows where a status may go. Here: the business's staff
(admins and editors, and platform admins) may make every move of the machine; the buyer may
cancel before processing and complete a delivered order (`BUYER_MAY`). Cancelling puts the
stock back (`haat.catalog.stock.give_back`) and records a behaviour event.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import BusinessRole
from haat.businesses.service import role_of
from haat.catalog import stock
from haat.commerce.models import Order, OrderStatus
from haat.commerce.repository import orders as repository
from haat.commerce.states import ORDER_MACHINE
from haat.core import repository as core_repository
from haat.core.errors import Forbidden, InvalidTransition, NotFound
from haat.identity.actor import Actor
from haat.insights import recorder as events
from haat.insights.models import EventKind

S = OrderStatus
STAFF = frozenset({BusinessRole.ADMIN, BusinessRole.EDITOR})
# Who may, beside the machine: staff make every move of `ORDER_MACHINE`; the buyer only these
# (target: the statuses the buyer may move it from).
BUYER_MAY: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.COMPLETED: frozenset({S.DELIVERED}),
    S.CANCELLED: frozenset({S.PENDING, S.CONFIRMED}),
}


def allowed_targets(current: OrderStatus, *, staff: bool, buyer: bool) -> list[OrderStatus]:
    """The statuses an order in ``current`` may move to for a caller who is its business's
    staff and/or its buyer, in the order of the machine's table."""
    return [
        target
        for target, t in ORDER_MACHINE.transitions.items()
        if (staff and current in t.sources) or (buyer and current in BUYER_MAY.get(target, ()))
    ]


async def readable_order(session: AsyncSession, actor: Actor, order_id: uuid.UUID) -> Order:
    """An order its buyer, its business's members or a platform admin may see; else 404."""
    user_id = actor.require_user()
    order = await core_repository.get(session, Order, order_id)
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


async def change_status(
    session: AsyncSession,
    actor: Actor,
    order_id: uuid.UUID,
    target: OrderStatus,
    note: str | None = None,
) -> Order:
    """Move an order to ``target`` through `ORDER_MACHINE` (compare-and-set, stamp, history
    row with ``note``). Raises 404 (not visible), 403 (role), 409 (not allowed from the
    current status, or changed concurrently). Cancelling puts the stock back."""
    order = await readable_order(session, actor, order_id)
    transition = ORDER_MACHINE.transitions.get(target)
    if transition is None:
        raise InvalidTransition(f"An order cannot be moved to {target.value}")
    staff = await is_staff(session, actor, order)
    is_buyer = order.buyer_id is not None and order.buyer_id == actor.user_id
    buyer_from = BUYER_MAY.get(target, frozenset())
    if not staff and not (is_buyer and buyer_from):
        raise Forbidden("Your role does not allow this change")
    allowed = transition.sources if staff else buyer_from
    before = order.status
    if before not in allowed:
        raise InvalidTransition(
            f"Cannot move a {before.value} order to {target.value}", current_status=before.value
        )
    await ORDER_MACHINE.move(session, order.id, before, target, actor_id=actor.user_id, note=note)
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
    await core_repository.flush(session)
    await core_repository.refresh(session, order)
    return order


async def restock(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Give a cancelled order's quantities back to its products."""
    await stock.give_back(session, await repository.item_quantities(session, order_id))
