"""The SQL of each business's payment settings (``business_payment_settings``)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.payments.models import PaymentSettings


async def of_business(
    session: AsyncSession, business_id: uuid.UUID, *, for_update: bool = False
) -> PaymentSettings | None:
    """The business's settings row (locked with ``for_update``), or None: manual."""
    stmt = select(PaymentSettings).where(PaymentSettings.business_id == business_id)
    return await session.scalar(stmt.with_for_update() if for_update else stmt)


async def add_settings(session: AsyncSession, row: PaymentSettings) -> None:
    """Store a new settings row (written at the next flush)."""
    await repository.add(session, row, flush=False)
