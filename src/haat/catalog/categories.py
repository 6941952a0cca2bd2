"""The category tree: public reading, creation by platform admins, sub-tree queries."""

from __future__ import annotations

import uuid
from typing import Any

from slugify import slugify
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Category
from haat.catalog.schemas import CategoryCreate, CategoryNode
from haat.core.errors import Conflict, NotFound
from haat.identity.actor import Actor


def subtree_ids(slug: str) -> Select[Any]:
    """A select of the ids of the category with ``slug`` and all its descendants."""
    tree = select(Category.id).where(Category.slug == slug).cte("category_tree", recursive=True)
    tree = tree.union_all(select(Category.id).where(Category.parent_id == tree.c.id))
    return select(tree.c.id)


async def tree(session: AsyncSession) -> list[CategoryNode]:
    """Every category as a forest of nodes, ordered by position then name."""
    rows = (
        await session.scalars(select(Category).order_by(Category.position, Category.name))
    ).all()
    nodes = {c.id: CategoryNode.model_validate(c) for c in rows}
    roots: list[CategoryNode] = []
    for c in rows:
        node = nodes[c.id]
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


async def create(session: AsyncSession, actor: Actor, data: CategoryCreate) -> Category:
    """Add a category (platform admins). Raises 404 for an unknown parent, 409 for a
    duplicate slug."""
    actor.require_platform_admin()
    if data.parent_id and await session.get(Category, data.parent_id) is None:
        raise NotFound("No such parent category")
    slug = slugify(data.name, max_length=140)
    if data.parent_id:
        parent = await session.get(Category, data.parent_id)
        assert parent is not None
        slug = f"{parent.slug}-{slug}"
    if await session.scalar(select(Category.id).where(Category.slug == slug)):
        raise Conflict("A category with this name already exists here")
    category = Category(name=data.name, slug=slug, parent_id=data.parent_id, position=data.position)
    session.add(category)
    await session.flush()
    return category


async def get_or_create_path(session: AsyncSession, names: list[str]) -> Category:
    """The category at ``names`` (e.g. ["Textiles", "Shawls"]), creating missing levels.
    Used by imports and the demo loader."""
    parent: Category | None = None
    for name in names:
        slug = slugify(name, max_length=140)
        if parent is not None:
            slug = f"{parent.slug}-{slug}"
        found = await session.scalar(select(Category).where(Category.slug == slug))
        if found is None:
            found = Category(
                id=uuid.uuid5(uuid.NAMESPACE_URL, f"haat:category:{slug}"),
                name=name,
                slug=slug,
                parent_id=parent.id if parent else None,
            )
            session.add(found)
            await session.flush()
        parent = found
    assert parent is not None
    return parent
