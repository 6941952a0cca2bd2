"""Reads of commerce's orders that payments need: row locks that serialise the payments of
one order, and single columns. Payments never write orders: an order's ``payment_status``
is stored through `haat.commerce.orders.record_payment_status`."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order
from haat.core import repository


async def lock(session: AsyncSession, order: Order) -> None:
    """Take the order's row lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write
    lock is already held) and read it again."""
    await session.execute(select(Order.id).where(Order.id == order.id).with_for_update())
    await repository.refresh(session, order)


async def locked_order(session: AsyncSession, order_id: uuid.UUID) -> Order:
    """The order, read afresh under its row lock (it exists: payments reference it)."""
    order = await repository.get(session, Order, order_id, for_update=True, fresh=True)
    assert order is not None  # payments.order_id is a foreign key
    return order


async def number_of(session: AsyncSession, order_id: uuid.UUID) -> str:
    """The order's number (it exists: payments reference it)."""
    number = await session.scalar(select(Order.number).where(Order.id == order_id))
    assert number is not None  # payments.order_id is a foreign key
    return number


async def total_of(session: AsyncSession, order_id: uuid.UUID) -> int:
    """The order's total in minor units (0 for no such order)."""
    return int(await session.scalar(select(Order.total_minor).where(Order.id == order_id)) or 0)
