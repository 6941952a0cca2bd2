"""The SQL of cart lines and favourites."""

from __future__ import annotations

import uuid

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Product
from haat.commerce.models import CartLine
from haat.core.db import utcnow


async def follow_prices(session: AsyncSession, product_ids: list[uuid.UUID], currency: str) -> int:
    """Set the seen price of the cart lines of ``product_ids`` (seen in ``currency``) to the
    products' current price; returns how many lines changed."""
    current = select(Product.price_minor).where(Product.id == CartLine.product_id).scalar_subquery()
    result = await session.execute(
        update(CartLine)
        .where(
            CartLine.product_id.in_(product_ids),
            CartLine.seen_currency == currency,
            CartLine.seen_price_minor != current,
        )
        .values(seen_price_minor=current, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount if isinstance(result, CursorResult) else 0
