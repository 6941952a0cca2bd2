"""The SQL of GST rates per category (this domain's ``tax_rates``, read with the catalogue's
categories)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Category
from haat.commerce.models import TaxRate
from haat.core import repository
from haat.core.db import table_of

_categories, _rates = table_of(Category), table_of(TaxRate)
_ALL_RATES = select(_categories.c.id, _categories.c.parent_id, _rates.c.rate_bp).outerjoin(
    _rates, _rates.c.category_id == _categories.c.id
)


async def category_tree(
    session: AsyncSession,
) -> list[tuple[uuid.UUID, uuid.UUID | None, int | None]]:
    """``(category id, parent id, own rate in basis points or None)`` of every category, in
    one query with no ORM work (the checkout's hot path reads it)."""
    rows = await repository.run(session, _ALL_RATES)
    return [(row.id, row.parent_id, row.rate_bp) for row in rows]


async def rates_with_categories(session: AsyncSession) -> list[tuple[TaxRate, Category]]:
    """Every configured rate with its category, by category slug."""
    rows = await session.execute(
        select(TaxRate, Category)
        .join(Category, Category.id == TaxRate.category_id)
        .order_by(Category.slug)
    )
    return [(rate, category) for rate, category in rows.all()]


async def category(session: AsyncSession, category_id: uuid.UUID) -> Category | None:
    """The category ``category_id``, or None."""
    return await repository.get(session, Category, category_id)


async def category_by_slug(session: AsyncSession, slug: str) -> Category | None:
    """The category with ``slug``, or None."""
    return await session.scalar(select(Category).where(Category.slug == slug))


async def rate_of(session: AsyncSession, category_id: uuid.UUID) -> TaxRate | None:
    """The category's own rate row, or None."""
    return await session.scalar(select(TaxRate).where(TaxRate.category_id == category_id))


async def has_rate(session: AsyncSession, category_id: uuid.UUID) -> bool:
    """True when the category has a rate of its own."""
    found = await session.scalar(select(TaxRate.id).where(TaxRate.category_id == category_id))
    return found is not None


async def delete_rate(session: AsyncSession, category_id: uuid.UUID) -> None:
    """Drop the category's own rate, if any."""
    await session.execute(delete(TaxRate).where(TaxRate.category_id == category_id))
