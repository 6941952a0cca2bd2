"""Who may do what with an order's money: one place for the checks every payment service
asks. Objects the caller may not see are 404 (through `commerce.status.readable_order`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order
from haat.commerce.status import is_staff, readable_order
from haat.core.errors import Forbidden
from haat.identity.actor import Actor
from haat.payments.repository import orders


@dataclass(frozen=True)
class OrderAccess:
    """An order and the caller's standing towards it."""

    order: Order
    staff: bool  # an admin or editor of the selling business, or a platform admin
    buyer: bool  # the buyer of the order

    def require_staff(self) -> None:
        if not self.staff:
            raise Forbidden("Only the selling business's admins and editors may do this")


async def order_access(
    session: AsyncSession, actor: Actor, order_id: uuid.UUID, *, lock: bool = False
) -> OrderAccess:
    """The order if the caller may see it (buyer, any member of its business, platform
    admin); 401 anonymous, 404 otherwise. ``lock`` takes the order's row lock
    (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write lock is already held), which
    serialises payments of one order."""
    order = await readable_order(session, actor, order_id)
    if lock:
        await orders.lock(session, order)
    return OrderAccess(
        order=order,
        staff=await is_staff(session, actor, order),
        buyer=order.buyer_id is not None and order.buyer_id == actor.user_id,
    )
