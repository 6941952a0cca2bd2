"""The SQL of products' status history (its rows are written by `workflow.PRODUCT_MACHINE`)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import ProductStatusChange


async def of_product(session: AsyncSession, product_id: uuid.UUID) -> list[ProductStatusChange]:
    """Every status change of the product, oldest first."""
    rows = await session.scalars(
        select(ProductStatusChange)
        .where(ProductStatusChange.product_id == product_id)
        .order_by(ProductStatusChange.created_at, ProductStatusChange.id)
    )
    return list(rows)
