"""The order status machine with its money: the one entry point routers call to move an
order, so that `commerce` never imports `payments`.

`commerce.status.change_status` checks the transition (who, from where, compare-and-set,
restock on cancel); in the same transaction this module then moves the money: cancelled →
escrow refunded, unpaid attempts cancelled; delivered → an order paid as a whole is released
to the seller; refunded → every payment refunded, released ones taken back from the seller.
A provider refusing any step rolls the status change back with it (502).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce import orders, status, walkin
from haat.commerce.models import Order, OrderStatus
from haat.commerce.schemas import WalkInOrderIn
from haat.core import repository as core_repository
from haat.identity.actor import Actor
from haat.payments import charges, escrow, refunds
from haat.payments.models import Payment
from haat.payments.providers import Providers
from haat.payments.repository import payments as repository
from haat.payments.schemas import CounterSaleIn, PaymentIn


async def change_order_status(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    order_id: uuid.UUID,
    target: OrderStatus,
    note: str | None = None,
) -> Order:
    """Move an order to ``target`` and settle its money. Raises what
    `commerce.status.change_status` raises (401, 403, 404, 409), and 502/503 from the
    provider of a refund or transfer."""
    order = await status.change_status(session, actor, order_id, target, note)
    if target == OrderStatus.CANCELLED:
        await refunds.on_cancel(session, providers, order, actor.user_id)
    elif target == OrderStatus.DELIVERED:
        await escrow.release_on_delivery(session, providers, order)
    elif target == OrderStatus.REFUNDED:
        await refunds.on_refund(session, providers, order, actor.user_id)
    await core_repository.refresh(session, order)
    return order


async def counter_sale(
    session: AsyncSession,
    actor: Actor,
    providers: Providers,
    data: CounterSaleIn,
    idempotency_key: str,
) -> tuple[Order, Payment, bool]:
    """A walk-in sale paid at the counter, in one transaction: the order (stock taken), its
    manual payment confirmed by the staff member recording it, and the ledger entry putting
    the money in escrow (released when the order is marked delivered). Returns ``(order,
    payment, created)``; a replay with the same Idempotency-Key returns the first sale.
    Raises what `commerce.walkin.create_walk_in_order` and `charges.open_payment` raise."""
    user_id = actor.require_user()
    digest = charges.body_hash({"counter_sale": data.model_dump(mode="json")})
    payment_id = charges.payment_id_for(user_id, idempotency_key)
    previous = await repository.get_payment(session, payment_id)
    if previous is not None:
        if previous.request_hash != digest:
            raise charges.IdempotencyKeyReused()
        return await orders.get_order(session, actor, previous.order_id), previous, False
    order = await walkin.create_walk_in_order(
        session,
        actor,
        WalkInOrderIn(customer_id=data.customer_id, items=data.items, notes=data.notes),
    )
    payment, _ = await charges.open_payment(
        session,
        actor,
        providers,
        order.id,
        PaymentIn(method=data.method),
        idempotency_key,
        request_hash=digest,
    )
    return await orders.get_order(session, actor, order.id), payment, True
