"""The SQL of the product embeddings (``product_embeddings``) and the approved products they
are computed from. ``model`` names the embedding model whose vectors are meant."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from haat.assistant.models import ProductEmbedding
from haat.catalog.models import Product, ProductStatus
from haat.core import repository
from haat.core.db import utcnow


async def vectors(
    session: AsyncSession, product_ids: Sequence[uuid.UUID], model: str
) -> list[tuple[uuid.UUID, bytes]]:
    """``(product id, vector bytes)`` of those of ``product_ids`` that have one (one query)."""
    rows = await session.execute(
        select(ProductEmbedding.product_id, ProductEmbedding.vector).where(
            ProductEmbedding.product_id.in_(list(product_ids)),
            ProductEmbedding.model == model,
        )
    )
    return [(pid, vector) for pid, vector in rows]


async def any_vector(session: AsyncSession) -> bool:
    """True once any product vector is stored."""
    return await session.scalar(select(ProductEmbedding.product_id).limit(1)) is not None


async def freshness(
    session: AsyncSession, model: str
) -> list[tuple[uuid.UUID, datetime, datetime | None]]:
    """``(id, updated_at, the updated_at its vector was computed from or None)`` of every
    approved product, by id."""
    rows = await session.execute(
        select(Product.id, Product.updated_at, ProductEmbedding.source_updated_at)
        .outerjoin(
            ProductEmbedding,
            (ProductEmbedding.product_id == Product.id) & (ProductEmbedding.model == model),
        )
        .where(Product.status == ProductStatus.APPROVED)
        .order_by(Product.id)
    )
    return [(pid, updated, computed_from) for pid, updated, computed_from in rows]


async def delete_unlisted(session: AsyncSession, model: str) -> int:
    """Delete the vectors of products no longer approved, and those of another model;
    returns how many."""
    result = await session.execute(
        delete(ProductEmbedding).where(
            ProductEmbedding.product_id.not_in(
                select(Product.id).where(Product.status == ProductStatus.APPROVED)
            )
            | (ProductEmbedding.model != model)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def approved_for_index(
    session: AsyncSession, product_ids: Sequence[uuid.UUID]
) -> list[Product]:
    """Those of ``product_ids`` that are approved, by id, with business and category loaded
    (what a product's text is made of)."""
    return list(
        await session.scalars(
            select(Product)
            .where(Product.id.in_(list(product_ids)), Product.status == ProductStatus.APPROVED)
            .options(joinedload(Product.business), joinedload(Product.category))
            .order_by(Product.id)
        )
    )


async def save_vectors(
    session: AsyncSession,
    model: str,
    dimensions: int,
    computed: Mapping[uuid.UUID, tuple[bytes, datetime]],
) -> None:
    """Insert or replace the vector of each product of ``computed`` (product id -> vector
    bytes and the product's ``updated_at`` it was computed from), stamped now. Flushes."""
    existing = {
        e.product_id: e
        for e in await session.scalars(
            select(ProductEmbedding).where(ProductEmbedding.product_id.in_(list(computed)))
        )
    }
    now = utcnow()
    for product_id, (vector, source_updated_at) in computed.items():
        row = existing.get(product_id)
        if row is None:
            row = ProductEmbedding(product_id=product_id)
            await repository.add(session, row, flush=False)
        row.model, row.dimensions, row.vector = model, dimensions, vector
        row.source_updated_at = source_updated_at
        row.computed_at = now
    await repository.flush(session)
