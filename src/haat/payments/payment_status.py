"""An order's ``payment_status`` (unpaid, partial, paid, refunded), derived from its payments."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce import orders
from haat.commerce.models import PaymentStatus
from haat.payments.models import PaymentState
from haat.payments.repository import orders as orders_repository
from haat.payments.repository import payments as repository


async def sync_payment_status(session: AsyncSession, order_id: uuid.UUID) -> PaymentStatus:
    """Set the order's ``payment_status`` from its payments: ``paid`` when succeeded
    payments cover the total, ``partial`` when some money is held or released, ``refunded``
    when everything received was refunded, ``unpaid`` otherwise."""
    sums = await repository.settled_sums(session, order_id)
    total = await orders_repository.total_of(session, order_id)
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
