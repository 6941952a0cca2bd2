"""The seller portal's products: list, create with a photo from the phone camera, edit, add
photos, and the workflow buttons (submit, publish, approve, reject, ...)."""

from __future__ import annotations

import uuid
from decimal import InvalidOperation
from typing import Annotated, Any

from fastapi import Form, Query
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from haat.businesses import service as businesses
from haat.catalog import categories, gallery, transitions
from haat.catalog import service as catalog
from haat.catalog.models import ProductStatus
from haat.catalog.present import product_admin_out
from haat.catalog.schemas import ProductCreate, ProductUpdate
from haat.catalog.workflow import ProductAction
from haat.config import Settings
from haat.core.deps import AppSettings, DbSession, Storage
from haat.core.errors import NotFound, PayloadTooLarge, Unprocessable
from haat.core.money import to_minor
from haat.core.pagination import Page, PageParams
from haat.core.storage import LocalStorage
from haat.web import refusals
from haat.web.forms import form_values, parse_attributes, validate
from haat.web.messages import error_message
from haat.web.portal import portal, portal_context
from haat.web.product_page import EDITORS, category_options, render_product
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer

router = page_router("/seller")
PRODUCT_FIELDS = ("title", "description", "category_id", "price", "currency", "sku", "stock")
STATUSES = [s for s in ProductStatus if s != ProductStatus.ARCHIVED]


def _to_product(business_id: uuid.UUID, product_id: uuid.UUID) -> Response:
    return RedirectResponse(f"/seller/{business_id}/products/{product_id}", status_code=303)


@router.get("")
async def seller_home(viewer: CurrentViewer, session: DbSession) -> Response:
    mine = await businesses.my_businesses(session, viewer.actor)
    if len(mine) == 1:
        return RedirectResponse(f"/seller/{mine[0][0].id}/products", status_code=303)
    return render(viewer, "seller/home.html", {"mine": mine})


@router.get("/{business_id:uuid}")
async def business_home(
    business_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    await portal(viewer, session, business_id)
    return RedirectResponse(f"/seller/{business_id}/products", status_code=303)


@router.get("/{business_id:uuid}/products")
async def products(
    business_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
    status: Annotated[str, Query(max_length=24)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    business, role = await portal(viewer, session, business_id)
    chosen = ProductStatus(status) if status in ProductStatus.__members__.values() else None
    paging = PageParams(page, 20)
    items, counted = await catalog.list_for_staff(
        session, viewer.actor, paging, business_id, chosen, q.strip() or None
    )
    context = {
        **portal_context(business, role, "products"),
        "result": Page.of([product_admin_out(p, storage) for p in items], counted, paging),
        "statuses": STATUSES,
        "chosen": chosen.value if chosen else "",
        "query": q,
        "params": {k: v for k, v in {"status": status, "q": q}.items() if v},
        "can_edit": role in EDITORS,
    }
    return render(viewer, "seller/products.html", context)


async def _form_page(
    viewer: Viewer,
    session: AsyncSession,
    business_id: uuid.UUID,
    values: dict[str, str],
    invalid: set[str],
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The new product's form (after a refusal too: the portal is read again)."""
    business, role = await portal(viewer, session, business_id)
    context = {
        **portal_context(business, role, "products"),
        "values": values,
        "invalid": invalid,
        "error": error,
        "categories": category_options(await categories.tree(session)),
    }
    return render(viewer, "seller/product_new.html", context, status_code=status_code)


@router.get("/{business_id:uuid}/products/new")
async def new_product(
    business_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    return await _form_page(viewer, session, business_id, {"currency": "INR", "stock": "1"}, set())


def _product_data(values: dict[str, str]) -> tuple[dict[str, Any], set[str]]:
    """Form text as the fields of ProductCreate/Update; the price is typed in major units."""
    invalid: set[str] = set()
    currency = values.get("currency", "INR").upper()
    data: dict[str, Any] = {
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "category_id": values.get("category_id") or None,
        "currency": currency,
        "sku": values.get("sku", ""),
        "stock_quantity": values.get("stock") or "0",
        "attributes": parse_attributes(values.get("attributes", "")),
    }
    try:
        data["price_minor"] = to_minor(values.get("price", "").replace(",", ""), currency)
    except (ValueError, TypeError, InvalidOperation):
        invalid.add("price")
    return data, invalid


async def _photo_bytes(settings: Settings, upload: Any) -> bytes | None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"Images are limited to {settings.max_upload_bytes // 2**20} MB")
    return data or None


async def _add_photo(
    viewer: Viewer,
    session: AsyncSession,
    settings: Settings,
    storage: LocalStorage,
    product_id: uuid.UUID,
    data: bytes,
    alt: str,
) -> None:
    await gallery.add_image(
        session,
        viewer.actor,
        storage,
        product_id,
        data,
        max_bytes=settings.max_upload_bytes,
        max_pixels=settings.max_image_pixels,
        alt_text=alt,
    )


@router.post("/{business_id:uuid}/products")
async def create_product(
    business_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    storage: Storage,
) -> Response:
    """A new draft, with its first photo when one was taken or chosen (one transaction: a
    refused photo leaves no product behind)."""
    await portal(viewer, session, business_id)
    form = await viewer.request.form()
    values = form_values(form, *PRODUCT_FIELDS, "attributes")
    data, invalid = _product_data(values)
    body, failed = validate(ProductCreate, {**data, "business_id": business_id})
    invalid |= {"stock" if f == "stock_quantity" else f for f in failed}
    if body is None or invalid:
        message = error_message(viewer, "validation_error", "", 422)
        return await _form_page(
            viewer, session, business_id, values, invalid, error=message, status_code=422
        )
    async with refusals.caught(viewer, session) as refused:
        product = await catalog.create_product(session, viewer.actor, body)
        photo = await _photo_bytes(settings, form.get("photo"))
        if photo is not None:
            await _add_photo(viewer, session, settings, storage, product.id, photo, body.title)
    if refused:
        return await _form_page(
            viewer,
            session,
            business_id,
            values,
            set(),
            error=refused.message,
            status_code=refused.status,
        )
    viewer.flash(viewer.gettext("Product saved as a draft."))
    return _to_product(business_id, product.id)


@router.get("/{business_id:uuid}/products/{product_id:uuid}")
async def product_page(
    business_id: uuid.UUID,
    product_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
) -> Response:
    return await render_product(viewer, session, storage, business_id, product_id)


@router.post("/{business_id:uuid}/products/{product_id:uuid}")
async def update_product(
    business_id: uuid.UUID,
    product_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
) -> Response:
    await portal(viewer, session, business_id)
    form = await viewer.request.form()
    values = form_values(form, *PRODUCT_FIELDS, "attributes")
    data, invalid = _product_data(values)
    body, failed = validate(ProductUpdate, data)
    invalid |= {"stock" if f == "stock_quantity" else f for f in failed}
    if body is None or invalid:
        message = error_message(viewer, "validation_error", "", 422)
        return await render_product(
            viewer,
            session,
            storage,
            business_id,
            product_id,
            values=values,
            invalid=invalid,
            error=message,
            status_code=422,
        )
    async with refusals.caught(viewer, session) as refused:
        await catalog.update_product(session, viewer.actor, product_id, body)
    if refused:
        return await render_product(
            viewer,
            session,
            storage,
            business_id,
            product_id,
            values=values,
            error=refused.message,
            status_code=refused.status,
        )
    viewer.flash(viewer.gettext("Changes saved."))
    return _to_product(business_id, product_id)


@router.post("/{business_id:uuid}/products/{product_id:uuid}/photos")
async def add_photo(
    business_id: uuid.UUID,
    product_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    storage: Storage,
) -> Response:
    await portal(viewer, session, business_id)
    form = await viewer.request.form()
    async with refusals.caught(viewer, session) as refused:
        photo = await _photo_bytes(settings, form.get("photo"))
        if photo is None:
            raise Unprocessable("Choose a photo")
        alt = form.get("alt_text")
        text = alt if isinstance(alt, str) else ""
        await _add_photo(viewer, session, settings, storage, product_id, photo, text)
    if refused:
        return await render_product(
            viewer,
            session,
            storage,
            business_id,
            product_id,
            error=refused.message,
            status_code=refused.status,
        )
    viewer.flash(viewer.gettext("Photo added."))
    return _to_product(business_id, product_id)


@router.post("/{business_id:uuid}/products/{product_id:uuid}/{action}")
async def product_action(
    business_id: uuid.UUID,
    product_id: uuid.UUID,
    action: ProductAction,
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A workflow step; the service decides who may take it."""
    await portal(viewer, session, business_id)
    if action in (ProductAction.CREATE, ProductAction.REVISE):
        raise NotFound("No such action")
    if action == ProductAction.REJECT and len(reason.strip()) < 3:
        message = viewer.gettext("Say why the product is rejected (at least 3 characters).")
        return await render_product(
            viewer, session, storage, business_id, product_id, error=message, status_code=422
        )
    async with refusals.caught(viewer, session) as refused:
        await transitions.apply_action(
            session, viewer.actor, product_id, action, reason.strip() or None
        )
    if refused:
        return await render_product(
            viewer,
            session,
            storage,
            business_id,
            product_id,
            error=refused.message,
            status_code=refused.status,
        )
    viewer.flash(viewer.gettext("Status changed."))
    return _to_product(business_id, product_id)
