"""The SQL of product images."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import ProductImage
from haat.core import repository


async def count(session: AsyncSession, product_id: uuid.UUID) -> int:
    """How many images the product has."""
    found = await session.scalar(select(func.count()).where(ProductImage.product_id == product_id))
    return found or 0


async def positions(session: AsyncSession, product_id: uuid.UUID) -> list[tuple[uuid.UUID, int]]:
    """``(image id, position)`` of the product's images, by position."""
    rows = await session.execute(
        select(ProductImage.id, ProductImage.position)
        .where(ProductImage.product_id == product_id)
        .order_by(ProductImage.position, ProductImage.id)
    )
    return [(image_id, position) for image_id, position in rows]


async def every_path(session: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    """``(image id, storage key)`` of every product image, oldest first."""
    rows = await session.execute(
        select(ProductImage.id, ProductImage.path).order_by(
            ProductImage.created_at, ProductImage.id
        )
    )
    return [(image_id, path) for image_id, path in rows]


async def get(session: AsyncSession, image_id: uuid.UUID) -> ProductImage | None:
    """The image with this id, or None."""
    return await repository.get(session, ProductImage, image_id)


async def add(session: AsyncSession, image: ProductImage) -> None:
    """Store a new image (flushed)."""
    await repository.add(session, image)


async def delete(session: AsyncSession, image: ProductImage) -> None:
    """Delete the image's row (its grade goes with it) and flush."""
    await repository.delete(session, image)
