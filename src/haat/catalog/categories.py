"""The category tree: public reading, creation by platform admins, sub-tree queries."""

from __future__ import annotations

import uuid

from slugify import slugify
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Category
from haat.catalog.repository import categories as repository
from haat.catalog.schemas import CategoryCreate, CategoryNode
from haat.core.errors import Conflict, NotFound
from haat.identity.actor import Actor


async def tree(session: AsyncSession) -> list[CategoryNode]:
    """Every category as a forest of nodes, ordered by position then name."""
    rows = await repository.all_categories(session)
    nodes = {c.id: CategoryNode.model_validate(c) for c in rows}
    roots: list[CategoryNode] = []
    for c in rows:
        node = nodes[c.id]
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


async def in_subtree(session: AsyncSession, category_id: uuid.UUID, slug: str) -> bool:
    """Whether ``category_id`` is the category with ``slug`` or one below it (a product in
    the Jewellery tree, say)."""
    return await repository.in_subtree(session, category_id, slug)


async def create(session: AsyncSession, actor: Actor, data: CategoryCreate) -> Category:
    """Add a category (platform admins). Raises 404 for an unknown parent, 409 for a
    duplicate slug."""
    actor.require_platform_admin()
    if data.parent_id and await repository.get(session, data.parent_id) is None:
        raise NotFound("No such parent category")
    slug = slugify(data.name, max_length=140)
    if data.parent_id:
        parent = await repository.get(session, data.parent_id)
        assert parent is not None
        slug = f"{parent.slug}-{slug}"
    if await repository.slug_taken(session, slug):
        raise Conflict("A category with this name already exists here")
    category = Category(name=data.name, slug=slug, parent_id=data.parent_id, position=data.position)
    await repository.add(session, category)
    return category


async def get_or_create_path(session: AsyncSession, names: list[str]) -> Category:
    """The category at ``names`` (e.g. ["Textiles", "Shawls"]), creating missing levels.
    Used by imports and the demo loader."""
    parent: Category | None = None
    for name in names:
        slug = slugify(name, max_length=140)
        if parent is not None:
            slug = f"{parent.slug}-{slug}"
        found = await repository.by_slug(session, slug)
        if found is None:
            found = Category(
                id=uuid.uuid5(uuid.NAMESPACE_URL, f"haat:category:{slug}"),
                name=name,
                slug=slug,
                parent_id=parent.id if parent else None,
            )
            await repository.add(session, found)
        parent = found
    assert parent is not None
    return parent
