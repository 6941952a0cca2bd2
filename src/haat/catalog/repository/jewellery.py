"""The SQL of jewellery pricing rows (`ProductJewellery`) and of the prices they set."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Metal, Product, ProductJewellery, ProductStatus
from haat.core import repository

BATCH = 1000


async def get(session: AsyncSession, product_id: uuid.UUID) -> ProductJewellery | None:
    """The product's jewellery row, or None."""
    return await repository.get(session, ProductJewellery, product_id)


async def exists(session: AsyncSession, product_id: uuid.UUID) -> bool:
    """Whether the product has a jewellery row (is priced from a metal rate)."""
    found = await session.scalar(
        select(ProductJewellery.product_id).where(ProductJewellery.product_id == product_id)
    )
    return found is not None


async def any_of_metal(session: AsyncSession, metal: Metal) -> bool:
    """Whether some product is priced from the rate of ``metal``."""
    found = await session.scalar(
        select(ProductJewellery.product_id).where(ProductJewellery.metal == metal).limit(1)
    )
    return found is not None


async def add(session: AsyncSession, row: ProductJewellery) -> None:
    """Add a new jewellery row to the session (written at the next flush)."""
    await repository.add(session, row, flush=False)


async def delete(session: AsyncSession, row: ProductJewellery) -> None:
    """Delete the jewellery row and flush."""
    await repository.delete(session, row)


async def stale(
    session: AsyncSession, metal: Metal, rate_minor_per_g: int, as_of: date, source: str
) -> list[ProductJewellery]:
    """The jewellery rows of ``metal`` (archived products excepted) whose stored pricing
    came from another rate than ``(rate_minor_per_g, as_of, source)``, freshly loaded."""
    rows = await session.scalars(
        select(ProductJewellery)
        .join(Product, Product.id == ProductJewellery.product_id)
        .where(
            ProductJewellery.metal == metal,
            Product.status != ProductStatus.ARCHIVED,
            (ProductJewellery.rate_minor_per_g != rate_minor_per_g)
            | (ProductJewellery.rate_as_of != as_of)
            | (ProductJewellery.rate_source != source),
        )
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def store_prices(
    session: AsyncSession,
    pricing: Sequence[Mapping[str, Any]],
    prices: Sequence[Mapping[str, Any]],
) -> None:
    """Bulk UPDATEs by primary key, in batches of 1,000: ``pricing`` rows of
    `ProductJewellery` columns (with ``product_id``) and ``prices`` rows of ``{"id",
    "price_minor"}`` of their products, in the same order."""
    for start in range(0, len(pricing), BATCH):
        await session.execute(update(ProductJewellery), pricing[start : start + BATCH])
        await session.execute(update(Product), prices[start : start + BATCH])
