"""An order's ``payment_status`` (unpaid, partial, paid, refunded), derived from its payments."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce import orders
from haat.commerce.models import Order, PaymentStatus
from haat.payments.models import Payment, PaymentState


async def sync_payment_status(session: AsyncSession, order_id: uuid.UUID) -> PaymentStatus:
    """Set the order's ``payment_status`` from its payments: ``paid`` when succeeded
    payments cover the total, ``partial`` when some money is held or released, ``refunded``
    when everything received was refunded, ``unpaid`` otherwise."""
    rows = await session.execute(
        select(Payment.status, func.coalesce(func.sum(Payment.amount_minor), 0))
        .where(
            Payment.order_id == order_id,
            Payment.status.in_([PaymentState.SUCCEEDED, PaymentState.REFUNDED]),
        )
        .group_by(Payment.status)
    )
    sums = {state: int(total) for state, total in rows.all()}
    total = int(await session.scalar(select(Order.total_minor).where(Order.id == order_id)) or 0)
    held = sums.get(PaymentState.SUCCEEDED, 0)
    if held >= total and held > 0:
        status = PaymentStatus.PAID
    elif held > 0:
        status = PaymentStatus.PARTIAL
    elif sums.get(PaymentState.REFUNDED, 0) > 0:
        status = PaymentStatus.REFUNDED
    else:
        status = PaymentStatus.UNPAID
    await orders.record_payment_status(session, order_id, status)
    return status
