"""Taking and giving back stock: the one place quantities change for a sale."""

from __future__ import annotations

import uuid

from sqlalchemy import CursorResult, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Product, ProductStatus
from haat.core.errors import Conflict


class OutOfStock(Conflict):
    code, title = "out_of_stock", "Not enough stock"


async def take(
    session: AsyncSession,
    product_id: uuid.UUID,
    quantity: int,
    title: str,
    *,
    public_only: bool,
) -> None:
    """Take ``quantity`` units with a conditional UPDATE (``stock_quantity >= quantity``),
    atomic under PostgreSQL's row lock and SQLite's write lock, so stock never goes below
    zero. ``public_only`` also requires the product to be approved (online checkout).

    Raises `OutOfStock` (409, with ``product_id`` and ``reason``) when it cannot.
    """
    conditions = [Product.id == product_id, Product.stock_quantity >= quantity]
    if public_only:
        conditions.append(Product.status == ProductStatus.APPROVED)
    result = await session.execute(
        update(Product)
        .where(*conditions)
        .values(stock_quantity=Product.stock_quantity - quantity)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise OutOfStock(
            f"Not enough stock of {title!r} for {quantity}",
            product_id=str(product_id),
            reason="out_of_stock",
        )
