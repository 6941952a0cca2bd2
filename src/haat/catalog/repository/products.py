"""The SQL of products: reading one, the public and staff lists, SKUs, locks, search words."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import Business, Cluster
from haat.catalog.models import LOAD_FOR_DISPLAY, Product, ProductStatus
from haat.catalog.repository import search
from haat.catalog.repository.categories import subtree_ids
from haat.catalog.schemas import ProductSort
from haat.core import repository
from haat.core.pagination import PageParams


@dataclass(frozen=True)
class Visibility:
    """The products a reader may see: all of them (``everything``, platform admins), else
    approved ones plus every product of ``business_ids`` (the reader's businesses)."""

    everything: bool = False
    business_ids: Sequence[uuid.UUID] = ()


@dataclass(frozen=True)
class ProductFilters:
    """Filters of the public list. Prices are minor units, compared in each product's own
    currency unless ``currency`` narrows the list to one currency."""

    search: str | None = None
    category: str | None = None  # slug; includes sub-categories
    business: uuid.UUID | None = None
    cluster: str | None = None  # cluster slug
    min_price: int | None = None
    max_price: int | None = None
    currency: str | None = None
    sort: ProductSort | None = None


def _readable(visibility: Visibility) -> ColumnElement[bool]:
    if visibility.everything:
        return true()
    public = Product.status == ProductStatus.APPROVED
    if visibility.business_ids:
        return or_(public, Product.business_id.in_(visibility.business_ids))
    return public


async def readable(
    session: AsyncSession, product_id: uuid.UUID, visibility: Visibility, *, for_display: bool
) -> Product | None:
    """The product if ``visibility`` lets its reader see it, else None; ``for_display``
    loads (and reloads) it with `LOAD_FOR_DISPLAY`."""
    stmt = select(Product).where(Product.id == product_id, _readable(visibility))
    if for_display:
        stmt = stmt.options(*LOAD_FOR_DISPLAY).execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def locked(session: AsyncSession, product_id: uuid.UUID) -> Product | None:
    """The product, its row locked (``FOR UPDATE``; SQLite's writers queue instead)."""
    return await session.scalar(select(Product).where(Product.id == product_id).with_for_update())


async def lock(session: AsyncSession, product_id: uuid.UUID) -> None:
    """Lock the product's row without loading it."""
    await session.execute(select(Product.id).where(Product.id == product_id).with_for_update())


def _order(stmt: Select[Any], sort: ProductSort, rank: ColumnElement[Any] | None) -> Select[Any]:
    # Tie-breaks run the same way as the sort, so an index on (status, key, id) serves both.
    if sort == ProductSort.RELEVANCE and rank is not None:
        return stmt.order_by(rank.desc(), Product.id)
    if sort == ProductSort.PRICE_ASC:
        return stmt.order_by(Product.price_minor.asc(), Product.id.asc())
    if sort == ProductSort.PRICE_DESC:
        return stmt.order_by(Product.price_minor.desc(), Product.id.desc())
    return stmt.order_by(Product.published_at.desc(), Product.id.desc())


def _filter(stmt: Select[Any], f: ProductFilters) -> Select[Any]:
    if f.category:
        stmt = stmt.where(Product.category_id.in_(subtree_ids(f.category)))
    if f.business:
        stmt = stmt.where(Product.business_id == f.business)
    if f.cluster:
        stmt = stmt.where(
            Product.business_id.in_(
                select(Business.id)
                .join(Cluster, Cluster.id == Business.cluster_id)
                .where(Cluster.slug == f.cluster)
            )
        )
    if f.currency:
        stmt = stmt.where(Product.currency == f.currency)
    if f.min_price is not None:
        stmt = stmt.where(Product.price_minor >= f.min_price)
    if f.max_price is not None:
        stmt = stmt.where(Product.price_minor <= f.max_price)
    return stmt


async def page_of_public(
    session: AsyncSession, filters: ProductFilters, params: PageParams
) -> tuple[list[Product], int]:
    """One page of approved products matching ``filters`` (loaded for display) and their
    count. Sorted by relevance with a search and by date without, unless ``filters.sort``
    says otherwise; the count runs without the relevance join."""
    stmt = _filter(select(Product).where(Product.status == ProductStatus.APPROVED), filters)
    counted = stmt
    rank = None
    sort = filters.sort or (ProductSort.RELEVANCE if filters.search else ProductSort.NEWEST)
    if filters.search:
        dialect = repository.dialect(session)
        counted = stmt.where(search.matches(dialect, filters.search))
        if sort == ProductSort.RELEVANCE:
            stmt, rank = search.apply_search(stmt, dialect, filters.search)
        else:
            stmt = counted  # ordered by price or date: the relevance join is not needed
    ordered = _order(stmt, sort, rank)
    return await repository.paginate(
        session, ordered, params, options=LOAD_FOR_DISPLAY, count=counted
    )


async def featured(session: AsyncSession, limit: int) -> list[Product]:
    """The newest approved product of each of the ``limit`` businesses that published most
    recently, newest first, loaded for display."""
    newest = (
        select(
            Product.id,
            func.row_number()
            .over(
                partition_by=Product.business_id,
                order_by=(Product.published_at.desc(), Product.id.desc()),
            )
            .label("rank"),
        )
        .where(Product.status == ProductStatus.APPROVED)
        .subquery()
    )
    stmt = (
        select(Product)
        .join(newest, newest.c.id == Product.id)
        .where(newest.c.rank == 1)
        .order_by(Product.published_at.desc(), Product.id.desc())
        .limit(limit)
        .options(*LOAD_FOR_DISPLAY)
    )
    return list(await session.scalars(stmt))


async def page_for_staff(
    session: AsyncSession,
    params: PageParams,
    business_id: uuid.UUID | None,
    status: ProductStatus | None,
    search_text: str | None,
) -> tuple[list[Product], int]:
    """One page of products in every status (of one business, or of all with None),
    optionally of one ``status`` and matching ``search_text`` (by relevance, else most
    recently updated first), loaded for display, and their count."""
    stmt = select(Product)
    if business_id is not None:
        stmt = stmt.where(Product.business_id == business_id)
    if status is not None:
        stmt = stmt.where(Product.status == status)
    rank = None
    if search_text:
        stmt, rank = search.apply_search(stmt, repository.dialect(session), search_text)
    if rank is not None:
        stmt = stmt.order_by(rank.desc(), Product.id)
    else:
        stmt = stmt.order_by(Product.updated_at.desc(), Product.id)
    return await repository.paginate(session, stmt, params, options=LOAD_FOR_DISPLAY)


async def sku_taken(
    session: AsyncSession, business_id: uuid.UUID, sku: str, except_id: uuid.UUID | None
) -> bool:
    """Whether another product of the business (than ``except_id``) has this SKU."""
    stmt = select(Product.id).where(Product.business_id == business_id, Product.sku == sku)
    if except_id is not None:
        stmt = stmt.where(Product.id != except_id)
    return bool(await session.scalar(stmt.limit(1)))


async def seller_names(
    session: AsyncSession, business_id: uuid.UUID
) -> tuple[str, str | None, str | None]:
    """The business's name and its cluster's name and craft (None without a cluster): words
    the full-text index finds its products by."""
    row = (
        await session.execute(
            select(Business.name, Cluster.name, Cluster.craft)
            .outerjoin(Cluster, Cluster.id == Business.cluster_id)
            .where(Business.id == business_id)
        )
    ).one()
    return row[0], row[1], row[2]
