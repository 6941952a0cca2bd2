"""Product rules: who reads what, creating and editing products, public and staff listings.

Status changes are in `transitions.py`; images in `gallery.py`; categories in `categories.py`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from haat.businesses.models import Business, BusinessRole, Cluster
from haat.businesses.service import get_business, member_business_ids, require_role
from haat.catalog import categories, search
from haat.catalog.models import (
    Category,
    Product,
    ProductJewellery,
    ProductStatus,
    ProductStatusChange,
)
from haat.catalog.schemas import ProductCreate, ProductSort, ProductUpdate
from haat.catalog.workflow import EDITORS, PUBLIC_FIELDS, ProductAction
from haat.core.db import utcnow
from haat.core.errors import Conflict, NotFound, Unprocessable
from haat.core.pagination import PageParams
from haat.core.repository import paginate
from haat.identity.actor import Actor

LOAD_FOR_DISPLAY = (
    joinedload(Product.business),
    joinedload(Product.category),
    selectinload(Product.images),
    selectinload(Product.jewellery),
)


class SkuTaken(Conflict):
    code, title = "sku_taken", "This SKU is already used in this business"


class ProductArchived(Conflict):
    code, title = "product_archived", "Archived products cannot be changed"


class PriceFollowsMetalRate(Conflict):
    code, title = "price_follows_metal_rate", "This product's price follows the metal rate"


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


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def readable_clause(session: AsyncSession, actor: Actor) -> ColumnElement[bool]:
    """What ``actor`` may read: approved products, plus every product of their businesses;
    platform admins read everything."""
    if actor.is_platform_admin:
        return true()
    public = Product.status == ProductStatus.APPROVED
    if actor.user_id is None:
        return public
    business_ids = await member_business_ids(session, actor)
    return or_(public, Product.business_id.in_(business_ids)) if business_ids else public


async def get_product(
    session: AsyncSession, actor: Actor, product_id: uuid.UUID, *, for_display: bool = True
) -> Product:
    """A product the actor may read; `NotFound` for anything else (no existence leak)."""
    stmt = select(Product).where(Product.id == product_id, await readable_clause(session, actor))
    if for_display:
        stmt = stmt.options(*LOAD_FOR_DISPLAY).execution_options(populate_existing=True)
    product = await session.scalar(stmt)
    if product is None:
        raise NotFound("No such product")
    return product


def _order(stmt: Select[Any], sort: ProductSort, rank: ColumnElement[Any] | None) -> Select[Any]:
    # Tie-breaks run the same way as the sort, so an index on (status, key, id) serves both.
    if sort == ProductSort.RELEVANCE and rank is not None:
        return stmt.order_by(rank.desc(), Product.id)
    if sort == ProductSort.PRICE_ASC:
        return stmt.order_by(Product.price_minor.asc(), Product.id.asc())
    if sort == ProductSort.PRICE_DESC:
        return stmt.order_by(Product.price_minor.desc(), Product.id.desc())
    return stmt.order_by(Product.published_at.desc(), Product.id.desc())


async def list_public(
    session: AsyncSession, filters: ProductFilters, params: PageParams
) -> tuple[list[Product], int]:
    """Approved products matching ``filters``, one page, with the total count."""
    stmt = _filter(select(Product).where(Product.status == ProductStatus.APPROVED), filters)
    counted = stmt
    rank = None
    sort = filters.sort or (ProductSort.RELEVANCE if filters.search else ProductSort.NEWEST)
    if filters.search:
        counted = stmt.where(search.matches(_dialect(session), filters.search))
        if sort == ProductSort.RELEVANCE:
            stmt, rank = search.apply_search(stmt, _dialect(session), filters.search)
        else:
            stmt = counted  # ordered by price or date: the relevance join is not needed
    ordered = _order(stmt, sort, rank)
    return await paginate(session, ordered, params, options=LOAD_FOR_DISPLAY, count=counted)


async def list_featured(session: AsyncSession, limit: int = 8) -> list[Product]:
    """For a shop window: the newest approved product of each of the ``limit`` businesses
    that published most recently, newest first (one product per seller)."""
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


def _filter(stmt: Select[Any], f: ProductFilters) -> Select[Any]:
    if f.category:
        stmt = stmt.where(Product.category_id.in_(categories.subtree_ids(f.category)))
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


async def list_for_staff(
    session: AsyncSession,
    actor: Actor,
    params: PageParams,
    business_id: uuid.UUID | None,
    status: ProductStatus | None,
    search_text: str | None = None,
) -> tuple[list[Product], int]:
    """Products of a business in every status (members), or of all businesses (platform
    admins, e.g. the approval queue). Non-admins must name a business they belong to."""
    actor.require_user()
    stmt = select(Product)
    if business_id is not None:
        await get_business(session, business_id)
        await require_role(session, actor, business_id, set(BusinessRole))
        stmt = stmt.where(Product.business_id == business_id)
    elif not actor.is_platform_admin:
        raise Unprocessable("Name the business to list (business=...)")
    if status is not None:
        stmt = stmt.where(Product.status == status)
    rank = None
    if search_text:
        stmt, rank = search.apply_search(stmt, _dialect(session), search_text)
    if rank is not None:
        stmt = stmt.order_by(rank.desc(), Product.id)
    else:
        stmt = stmt.order_by(Product.updated_at.desc(), Product.id)
    return await paginate(session, stmt, params, options=LOAD_FOR_DISPLAY)


async def _check_category(session: AsyncSession, category_id: uuid.UUID | None) -> None:
    if category_id is not None and await session.get(Category, category_id) is None:
        raise Unprocessable(
            "No such category",
            errors=[
                {"loc": ["body", "category_id"], "msg": "unknown category", "type": "not_found"}
            ],
        )


async def _sku_free(
    session: AsyncSession, business_id: uuid.UUID, sku: str, except_id: uuid.UUID | None = None
) -> None:
    stmt = select(Product.id).where(Product.business_id == business_id, Product.sku == sku)
    if except_id is not None:
        stmt = stmt.where(Product.id != except_id)
    if await session.scalar(stmt.limit(1)):
        raise SkuTaken()


async def refresh_search_terms(session: AsyncSession, product: Product) -> None:
    """Recompute the words the index finds the product by (attributes, category, business,
    cluster)."""
    row = (
        await session.execute(
            select(Business.name, Cluster.name, Cluster.craft)
            .outerjoin(Cluster, Cluster.id == Business.cluster_id)
            .where(Business.id == product.business_id)
        )
    ).one()
    category = await session.get(Category, product.category_id) if product.category_id else None
    product.search_terms = search.search_terms_for(
        product.attributes, category.name if category else None, *row
    )


def record_change(
    session: AsyncSession,
    product: Product,
    actor: Actor,
    action: ProductAction,
    from_status: ProductStatus | None,
    to_status: ProductStatus,
    reason: str | None = None,
) -> None:
    """Append one row to the product's status history."""
    session.add(
        ProductStatusChange(
            product_id=product.id,
            actor_id=actor.user_id,
            action=action.value,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )
    )


async def create_product(session: AsyncSession, actor: Actor, data: ProductCreate) -> Product:
    """A new draft product. Raises 404 (business), 403 (role), 409 (SKU), 422 (category)."""
    await get_business(session, data.business_id)
    await require_role(session, actor, data.business_id, EDITORS, platform_admin=False)
    await _check_category(session, data.category_id)
    await _sku_free(session, data.business_id, data.sku)
    product = Product(**data.model_dump(), status=ProductStatus.DRAFT, created_by_id=actor.user_id)
    session.add(product)
    await refresh_search_terms(session, product)
    try:
        await session.flush()
    except IntegrityError:
        raise SkuTaken() from None
    record_change(session, product, actor, ProductAction.CREATE, None, ProductStatus.DRAFT)
    await session.flush()
    return await get_product(session, actor, product.id)


async def mark_revised(
    session: AsyncSession, actor: Actor, product: Product, business: Business
) -> None:
    """After a change of public content: rejected goes back to draft, and an approved
    product goes back to the approval queue where the business requires approval."""
    before = product.status
    if before == ProductStatus.REJECTED:
        product.status = ProductStatus.DRAFT
        product.rejection_reason = None
    elif before == ProductStatus.APPROVED and business.requires_approval:
        product.status = ProductStatus.PENDING_APPROVAL
    else:
        return
    record_change(session, product, actor, ProductAction.REVISE, before, product.status, "edited")


async def load_for_edit(session: AsyncSession, actor: Actor, product_id: uuid.UUID) -> Product:
    """The product, locked, once the actor is known to be its business's editor or admin."""
    product = await get_product(session, actor, product_id, for_display=False)
    await require_role(session, actor, product.business_id, EDITORS, platform_admin=False)
    locked = await session.scalar(select(Product).where(Product.id == product_id).with_for_update())
    assert locked is not None
    if locked.status == ProductStatus.ARCHIVED:
        raise ProductArchived()
    return locked


async def is_jewellery(session: AsyncSession, product_id: uuid.UUID) -> bool:
    """Whether the product is priced from a metal rate (has a `ProductJewellery` row)."""
    found = await session.scalar(
        select(ProductJewellery.product_id).where(ProductJewellery.product_id == product_id)
    )
    return found is not None


async def update_product(
    session: AsyncSession, actor: Actor, product_id: uuid.UUID, data: ProductUpdate
) -> Product:
    """Edit a product (editors, admins). Archived products are frozen (409), and so are the
    price and currency of jewellery priced from the metal rate (409)."""
    product = await load_for_edit(session, actor, product_id)
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True).items()
        if v is not None and getattr(product, k) != v
    }
    if changes.keys() & {"price_minor", "currency"} and await is_jewellery(session, product.id):
        raise PriceFollowsMetalRate(
            "The price of a jewellery product is computed from the metal rate; change its "
            "weight, purity or making charge (PUT /api/products/{id}/jewellery) instead."
        )
    if "category_id" in changes:
        await _check_category(session, changes["category_id"])
    if "sku" in changes:
        await _sku_free(session, product.business_id, changes["sku"], product.id)
    for field, value in changes.items():
        setattr(product, field, value)
    if changes.keys() & PUBLIC_FIELDS:
        await refresh_search_terms(session, product)
        await mark_revised(
            session, actor, product, await get_business(session, product.business_id)
        )
    product.updated_at = utcnow()
    try:
        await session.flush()
    except IntegrityError:
        raise SkuTaken() from None
    return await get_product(session, actor, product.id)


async def history(
    session: AsyncSession, actor: Actor, product_id: uuid.UUID
) -> list[ProductStatusChange]:
    """The status history of a product (members of its business, platform admins)."""
    product = await get_product(session, actor, product_id, for_display=False)
    await require_role(session, actor, product.business_id, set(BusinessRole))
    rows = await session.scalars(
        select(ProductStatusChange)
        .where(ProductStatusChange.product_id == product_id)
        .order_by(ProductStatusChange.created_at, ProductStatusChange.id)
    )
    return list(rows)
