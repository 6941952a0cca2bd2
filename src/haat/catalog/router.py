"""`/api/products` and `/api/categories`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog import categories, gallery, photo_quality, service, transitions
from haat.catalog.models import Product, ProductStatus
from haat.catalog.present import product_admin_out, product_out
from haat.catalog.schemas import (
    CategoryCreate,
    CategoryNode,
    CategoryOut,
    ProductAdminOut,
    ProductCreate,
    ProductOut,
    ProductSort,
    ProductUpdate,
    RejectIn,
    StatusChangeOut,
)
from haat.catalog.workflow import ProductAction
from haat.core.deps import AppSettings, DbSession, Jobs, Storage
from haat.core.errors import PayloadTooLarge, responses
from haat.core.pagination import Page, PageParams, page_params
from haat.core.storage import LocalStorage
from haat.fx.display import DisplayConverter, converter_for
from haat.fx.schemas import DisplayCurrency
from haat.identity.actor import Actor
from haat.identity.auth import OPTIONAL_BEARER, AuthenticatedActor, CurrentActor
from haat.identity.schemas import Currency
from haat.insights.models import EventKind
from haat.insights.recorder import record

router = APIRouter(prefix="/api/products", tags=["products"])
categories_router = APIRouter(prefix="/api/categories", tags=["categories"])
Paging = Annotated[PageParams, Depends(page_params)]


async def _admin_out(
    session: AsyncSession,
    actor: Actor,
    storage: LocalStorage,
    product: Product,
    display: DisplayConverter | None = None,
) -> ProductAdminOut:
    """The staff view of ``product``, with photo grades if the actor may see them."""
    quality = await photo_quality.staff_quality(session, actor, [product])
    return product_admin_out(product, storage, display, quality)


@router.get(
    "",
    response_model=Page[ProductOut],
    responses=responses(401, 422),
    openapi_extra={"security": OPTIONAL_BEARER},
)
async def list_products(
    actor: CurrentActor,
    session: DbSession,
    storage: Storage,
    paging: Paging,
    search: Annotated[str | None, Query(max_length=200, description="full-text query")] = None,
    category: Annotated[str | None, Query(max_length=140, description="category slug")] = None,
    business: uuid.UUID | None = None,
    cluster: Annotated[str | None, Query(max_length=140, description="cluster slug")] = None,
    min_price: Annotated[int | None, Query(ge=0, le=10**13, description="minor units")] = None,
    max_price: Annotated[int | None, Query(ge=0, le=10**13, description="minor units")] = None,
    currency: Annotated[Currency | None, Query(description="only prices in this currency")] = None,
    sort: ProductSort | None = None,
    display_currency: DisplayCurrency = None,
) -> Page[ProductOut]:
    """Approved products, with full-text search, filters, sorting and pages.

    Sort defaults to relevance with a search and newest without. Each price is also shown,
    approximately, in `display_currency` (default: the signed-in user's currency).
    """
    filters = service.ProductFilters(
        search=search,
        category=category,
        business=business,
        cluster=cluster,
        min_price=min_price,
        max_price=max_price,
        currency=currency,
        sort=sort,
    )
    items, total = await service.list_public(session, filters, paging)
    if search is not None:
        record(
            session,
            actor,
            EventKind.SEARCHED,
            query=search,
            results=total,
            page=paging.page,
            category=category,
            business=business,
            cluster=cluster,
        )
    display = await converter_for(session, actor, display_currency, (p.currency for p in items))
    return Page.of([product_out(p, storage, display) for p in items], total, paging)


@router.get("/admin", response_model=Page[ProductAdminOut], responses=responses(401, 403, 404, 422))
async def list_products_for_staff(
    actor: AuthenticatedActor,
    session: DbSession,
    storage: Storage,
    paging: Paging,
    business: uuid.UUID | None = None,
    status: ProductStatus | None = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[ProductAdminOut]:
    """A business's products in every status (its members), or every business's
    (platform admins; e.g. `status=pending_approval` is the approval queue). Each product
    carries `photo_quality` (lowest and first photo's grade, the business's minimum) and
    each photo its `quality`."""
    items, total = await service.list_for_staff(session, actor, paging, business, status, search)
    quality = await photo_quality.staff_quality(session, actor, items)
    return Page.of([product_admin_out(p, storage, quality=quality) for p in items], total, paging)


@router.post(
    "",
    status_code=201,
    response_model=ProductAdminOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def create_product(
    data: ProductCreate, actor: AuthenticatedActor, session: DbSession, storage: Storage
) -> ProductAdminOut:
    """Create a draft product (business editors and admins)."""
    return await _admin_out(
        session, actor, storage, await service.create_product(session, actor, data)
    )


@router.get(
    "/{product_id:uuid}",
    response_model=ProductAdminOut,
    responses=responses(404, 422),
    openapi_extra={"security": OPTIONAL_BEARER},
)
async def get_product(
    product_id: uuid.UUID,
    actor: CurrentActor,
    session: DbSession,
    storage: Storage,
    display_currency: DisplayCurrency = None,
) -> ProductAdminOut:
    """One product: approved ones for everybody, others only for their business's members;
    its price also approximately in `display_currency` (default: the user's currency).
    Photo grades are shown to the business's members and platform admins only."""
    product = await service.get_product(session, actor, product_id)
    if product.status == ProductStatus.APPROVED:  # a shopper's view, not staff at work
        record(
            session,
            actor,
            EventKind.PRODUCT_VIEWED,
            product_id=product.id,
            business_id=product.business_id,
            price_minor=product.price_minor,
            currency=product.currency,
        )
    display = await converter_for(session, actor, display_currency, [product.currency])
    return await _admin_out(session, actor, storage, product, display)


@router.patch(
    "/{product_id:uuid}",
    response_model=ProductAdminOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def update_product(
    product_id: uuid.UUID,
    data: ProductUpdate,
    actor: AuthenticatedActor,
    session: DbSession,
    storage: Storage,
) -> ProductAdminOut:
    """Edit a product. Editing a rejected product returns it to draft; editing an approved
    one's public fields sends it back to approval where the business requires it."""
    product = await service.update_product(session, actor, product_id, data)
    return await _admin_out(session, actor, storage, product)


@router.get(
    "/{product_id:uuid}/history",
    response_model=list[StatusChangeOut],
    responses=responses(401, 403, 404, 422),
)
async def product_history(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> list[StatusChangeOut]:
    """Every status change: action, from, to, actor, reason, time."""
    rows = await service.history(session, actor, product_id)
    return [StatusChangeOut.model_validate(r) for r in rows]


async def _act(
    session: DbSession,
    actor: AuthenticatedActor,
    storage: LocalStorage,
    product_id: uuid.UUID,
    action: ProductAction,
    reason: str | None = None,
) -> ProductAdminOut:
    product = await transitions.apply_action(session, actor, product_id, action, reason)
    return await _admin_out(session, actor, storage, product)


_TRANSITION_ERRORS = responses(401, 403, 404, 409, 422)


@router.post(
    "/{product_id:uuid}/submit", response_model=ProductAdminOut, responses=_TRANSITION_ERRORS
)
async def submit(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession, storage: Storage
) -> ProductAdminOut:
    """draft/unpublished -> pending_approval (editors, admins; approval required). 409
    `photos_below_minimum` names the photos under the business's minimum grade."""
    return await _act(session, actor, storage, product_id, ProductAction.SUBMIT)


@router.post(
    "/{product_id:uuid}/approve", response_model=ProductAdminOut, responses=_TRANSITION_ERRORS
)
async def approve(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession, storage: Storage
) -> ProductAdminOut:
    """pending_approval -> approved (approvers, admins, platform admins); photos must meet
    the business's minimum grade (409 `photos_below_minimum`)."""
    return await _act(session, actor, storage, product_id, ProductAction.APPROVE)


@router.post(
    "/{product_id:uuid}/reject", response_model=ProductAdminOut, responses=_TRANSITION_ERRORS
)
async def reject(
    product_id: uuid.UUID,
    data: RejectIn,
    actor: AuthenticatedActor,
    session: DbSession,
    storage: Storage,
) -> ProductAdminOut:
    """pending_approval -> rejected with a reason (approvers, admins, platform admins)."""
    return await _act(session, actor, storage, product_id, ProductAction.REJECT, data.reason)


@router.post(
    "/{product_id:uuid}/publish", response_model=ProductAdminOut, responses=_TRANSITION_ERRORS
)
async def publish(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession, storage: Storage
) -> ProductAdminOut:
    """draft/unpublished -> approved where the business does not require approval; photos
    must meet the business's minimum grade (409 `photos_below_minimum`)."""
    return await _act(session, actor, storage, product_id, ProductAction.PUBLISH)


@router.post(
    "/{product_id:uuid}/unpublish", response_model=ProductAdminOut, responses=_TRANSITION_ERRORS
)
async def unpublish(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession, storage: Storage
) -> ProductAdminOut:
    """approved -> unpublished (editors, admins, platform admins)."""
    return await _act(session, actor, storage, product_id, ProductAction.UNPUBLISH)


@router.post(
    "/{product_id:uuid}/archive", response_model=ProductAdminOut, responses=_TRANSITION_ERRORS
)
async def archive(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession, storage: Storage
) -> ProductAdminOut:
    """any -> archived, a soft delete (editors, admins, platform admins)."""
    return await _act(session, actor, storage, product_id, ProductAction.ARCHIVE)


@router.post(
    "/{product_id:uuid}/images",
    status_code=201,
    response_model=ProductAdminOut,
    responses=responses(401, 403, 404, 409, 413, 415, 422),
)
async def upload_image(
    product_id: uuid.UUID,
    actor: AuthenticatedActor,
    session: DbSession,
    storage: Storage,
    settings: AppSettings,
    jobs: Jobs,
    file: Annotated[UploadFile, File(description="PNG, JPEG, GIF or WEBP, at most 16 MB")],
    alt_text: Annotated[str, Form(max_length=300)] = "",
) -> ProductAdminOut:
    """Add a photo; its type is read from the bytes, it is resized to 1200 px with a
    300 px thumbnail, its EXIF data are removed, and the stored photo is graded (the
    photograph, not the craftsmanship: see `images[].quality`)."""
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"Images are limited to {settings.max_upload_bytes // 2**20} MB")
    product = await gallery.add_image(
        session,
        actor,
        storage,
        product_id,
        data,
        max_bytes=settings.max_upload_bytes,
        max_pixels=settings.max_image_pixels,
        alt_text=alt_text,
        jobs=jobs,
    )
    return await _admin_out(session, actor, storage, product)


@router.delete(
    "/{product_id:uuid}/images/{image_id:uuid}",
    status_code=204,
    responses=responses(401, 403, 404, 409, 422),
)
async def delete_image(
    product_id: uuid.UUID,
    image_id: uuid.UUID,
    actor: AuthenticatedActor,
    session: DbSession,
    storage: Storage,
) -> Response:
    """Remove a photo."""
    await gallery.delete_image(session, actor, storage, product_id, image_id)
    return Response(status_code=204)


@categories_router.get("", response_model=list[CategoryNode])
async def list_categories(session: DbSession) -> list[CategoryNode]:
    """The category tree."""
    return await categories.tree(session)


@categories_router.post(
    "", status_code=201, response_model=CategoryOut, responses=responses(401, 403, 404, 409, 422)
)
async def create_category(
    data: CategoryCreate, actor: AuthenticatedActor, session: DbSession
) -> CategoryOut:
    """Add a category (platform admins)."""
    return CategoryOut.model_validate(await categories.create(session, actor, data))
