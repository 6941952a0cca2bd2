"""The SQL of the category tree."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Category
from haat.core import repository


def subtree_ids(slug: str) -> Select[Any]:
    """A select of the ids of the category with ``slug`` and all its descendants (a
    recursive CTE), for the filters of product queries."""
    tree = select(Category.id).where(Category.slug == slug).cte("category_tree", recursive=True)
    tree = tree.union_all(select(Category.id).where(Category.parent_id == tree.c.id))
    return select(tree.c.id)


async def in_subtree(session: AsyncSession, category_id: uuid.UUID, slug: str) -> bool:
    """Whether ``category_id`` is the category with ``slug`` or one below it."""
    tree = subtree_ids(slug).subquery()
    found = await session.scalar(select(tree.c.id).where(tree.c.id == category_id))
    return found is not None


async def all_categories(session: AsyncSession) -> list[Category]:
    """Every category, ordered by position then name."""
    rows = await session.scalars(select(Category).order_by(Category.position, Category.name))
    return list(rows.all())


async def get(session: AsyncSession, category_id: uuid.UUID) -> Category | None:
    """The category with this id, or None."""
    return await repository.get(session, Category, category_id)


async def by_slug(session: AsyncSession, slug: str) -> Category | None:
    """The category with this slug, or None."""
    return await session.scalar(select(Category).where(Category.slug == slug))


async def slug_taken(session: AsyncSession, slug: str) -> bool:
    """Whether a category already has this slug."""
    return await session.scalar(select(Category.id).where(Category.slug == slug)) is not None


async def add(session: AsyncSession, category: Category) -> None:
    """Store a new category (flushed)."""
    await repository.add(session, category)
