"""The SQL of orders, their items and their status history."""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.models import Order, PaymentStatus
from haat.core.db import utcnow


async def set_payment_status(
    session: AsyncSession, order_id: uuid.UUID, status: PaymentStatus
) -> None:
    """Store the order's ``payment_status`` where it differs (an `Order` already loaded in
    the session sees the new value)."""
    await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.payment_status != status)
        .values(payment_status=status, updated_at=utcnow())
    )


async def touch(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Set the order's ``updated_at`` to now."""
    await session.execute(update(Order).where(Order.id == order_id).values(updated_at=utcnow()))
