"""Product rules: who reads what, creating and editing products, public and staff listings.

Status changes are in `transitions.py` (the machine and who may move it: `workflow.py`);
images in `gallery.py`; categories in `categories.py`; jewellery pricing rows in
`jewellery.py`. The SQL is `repository/`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import Business, BusinessRole
from haat.businesses.service import get_business, member_business_ids, require_role
from haat.catalog.models import Product, ProductStatus, ProductStatusChange
from haat.catalog.repository import categories as categories_repository
from haat.catalog.repository import history as history_repository
from haat.catalog.repository import jewellery as jewellery_repository
from haat.catalog.repository import products as repository
from haat.catalog.repository.products import ProductFilters, Visibility
from haat.catalog.schemas import ProductCreate, ProductUpdate
from haat.catalog.search import search_terms_for
from haat.catalog.workflow import EDITORS, PRODUCT_MACHINE, PUBLIC_FIELDS, ProductAction
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import Conflict, NotFound, Unprocessable
from haat.core.pagination import PageParams
from haat.identity.actor import Actor


class SkuTaken(Conflict):
    code, title = "sku_taken", "This SKU is already used in this business"


class ProductArchived(Conflict):
    code, title = "product_archived", "Archived products cannot be changed"


class PriceFollowsMetalRate(Conflict):
    code, title = "price_follows_metal_rate", "This product's price follows the metal rate"


async def visibility(session: AsyncSession, actor: Actor) -> Visibility:
    """What ``actor`` may read: approved products, plus every product of their businesses;
    platform admins read everything."""
    if actor.is_platform_admin:
        return Visibility(everything=True)
    if actor.user_id is None:
        return Visibility()
    return Visibility(business_ids=await member_business_ids(session, actor))


async def get_product(
    session: AsyncSession, actor: Actor, product_id: uuid.UUID, *, for_display: bool = True
) -> Product:
    """A product the actor may read; `NotFound` for anything else (no existence leak)."""
    seen = await visibility(session, actor)
    product = await repository.readable(session, product_id, seen, for_display=for_display)
    if product is None:
        raise NotFound("No such product")
    return product


async def list_public(
    session: AsyncSession, filters: ProductFilters, params: PageParams
) -> tuple[list[Product], int]:
    """Approved products matching ``filters``, one page, with the total count."""
    return await repository.page_of_public(session, filters, params)


async def list_featured(session: AsyncSession, limit: int = 8) -> list[Product]:
    """For a shop window: the newest approved product of each of the ``limit`` businesses
    that published most recently, newest first (one product per seller)."""
    return await repository.featured(session, limit)


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
    if business_id is not None:
        await get_business(session, business_id)
        await require_role(session, actor, business_id, set(BusinessRole))
    elif not actor.is_platform_admin:
        raise Unprocessable("Name the business to list (business=...)")
    return await repository.page_for_staff(session, params, business_id, status, search_text)


async def _check_category(session: AsyncSession, category_id: uuid.UUID | None) -> None:
    if category_id is not None and await categories_repository.get(session, category_id) is None:
        raise Unprocessable(
            "No such category",
            errors=[
                {"loc": ["body", "category_id"], "msg": "unknown category", "type": "not_found"}
            ],
        )


async def _sku_free(
    session: AsyncSession, business_id: uuid.UUID, sku: str, except_id: uuid.UUID | None = None
) -> None:
    if await repository.sku_taken(session, business_id, sku, except_id):
        raise SkuTaken()


async def refresh_search_terms(session: AsyncSession, product: Product) -> None:
    """Recompute the words the index finds the product by (attributes, category, business,
    cluster)."""
    names = await repository.seller_names(session, product.business_id)
    category = (
        await categories_repository.get(session, product.category_id)
        if product.category_id
        else None
    )
    product.search_terms = search_terms_for(
        product.attributes, category.name if category else None, *names
    )


async def create_product(session: AsyncSession, actor: Actor, data: ProductCreate) -> Product:
    """A new draft product. Raises 404 (business), 403 (role), 409 (SKU), 422 (category)."""
    await get_business(session, data.business_id)
    await require_role(session, actor, data.business_id, EDITORS, platform_admin=False)
    await _check_category(session, data.category_id)
    await _sku_free(session, data.business_id, data.sku)
    product = Product(**data.model_dump(), created_by_id=actor.user_id)
    await refresh_search_terms(session, product)
    try:
        await PRODUCT_MACHINE.start(
            session, product, actor_id=actor.user_id, event=ProductAction.CREATE
        )
    except IntegrityError:
        raise SkuTaken() from None
    return await get_product(session, actor, product.id)


async def mark_revised(
    session: AsyncSession, actor: Actor, product: Product, business: Business
) -> None:
    """After a change of public content: rejected goes back to draft, and an approved
    product goes back to the approval queue where the business requires approval. Recorded
    as action "revise", reason "edited". ``product`` must be locked (`load_for_edit`)."""
    before = product.status
    values: dict[str, object]
    if before == ProductStatus.REJECTED:
        values = {"rejection_reason": None}
    elif before == ProductStatus.APPROVED and business.requires_approval:
        values = {}
    else:
        return
    await PRODUCT_MACHINE.move(
        session,
        product.id,
        before,
        ProductAction.REVISE,
        actor_id=actor.user_id,
        note="edited",
        values=values,
    )


async def load_for_edit(session: AsyncSession, actor: Actor, product_id: uuid.UUID) -> Product:
    """The product, locked, once the actor is known to be its business's editor or admin."""
    product = await get_product(session, actor, product_id, for_display=False)
    await require_role(session, actor, product.business_id, EDITORS, platform_admin=False)
    locked = await repository.locked(session, product_id)
    assert locked is not None
    if locked.status == ProductStatus.ARCHIVED:
        raise ProductArchived()
    return locked


async def is_jewellery(session: AsyncSession, product_id: uuid.UUID) -> bool:
    """Whether the product is priced from a metal rate (has a `ProductJewellery` row)."""
    return await jewellery_repository.exists(session, product_id)


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
    product.updated_at = utcnow()
    try:
        await core_repository.flush(session)
    except IntegrityError:
        raise SkuTaken() from None
    if changes.keys() & PUBLIC_FIELDS:
        await mark_revised(
            session, actor, product, await get_business(session, product.business_id)
        )
    return await get_product(session, actor, product.id)


async def history(
    session: AsyncSession, actor: Actor, product_id: uuid.UUID
) -> list[ProductStatusChange]:
    """The status history of a product (members of its business, platform admins)."""
    product = await get_product(session, actor, product_id, for_display=False)
    await require_role(session, actor, product.business_id, set(BusinessRole))
    return await history_repository.of_product(session, product_id)
