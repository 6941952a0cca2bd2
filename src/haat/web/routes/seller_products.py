"""The seller portal's products: list, create with a photo from the phone camera, edit, add
photos, and the workflow buttons (submit, publish, approve, reject, ...)."""

from __future__ import annotations

import uuid
from decimal import InvalidOperation
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from haat.businesses import service as businesses
from haat.businesses.models import Business, BusinessRole
from haat.catalog import categories, gallery, transitions
from haat.catalog import service as catalog
from haat.catalog.models import ProductStatus
from haat.catalog.present import product_admin_out
from haat.catalog.schemas import CategoryNode, ProductCreate, ProductUpdate
from haat.catalog.workflow import ProductAction, available_actions
from haat.config import Settings
from haat.core.deps import DbSession, provided
from haat.core.errors import HaatError, NotFound, PayloadTooLarge, Unprocessable
from haat.core.money import to_minor
from haat.core.pagination import Page, PageParams
from haat.core.storage import LocalStorage
from haat.pricing import jewellery
from haat.web import jewellery_form
from haat.web.formatting import major
from haat.web.forms import form_values, format_attributes, parse_attributes, validate
from haat.web.messages import error_message
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer

router = page_router("/seller")
PRODUCT_FIELDS = ("title", "description", "category_id", "price", "currency", "sku", "stock")
STATUSES = [s for s in ProductStatus if s != ProductStatus.ARCHIVED]


def _storage(request: Request) -> LocalStorage:
    return provided(LocalStorage)(request)


async def portal(
    viewer: Viewer, session: AsyncSession, business_id: uuid.UUID
) -> tuple[Business, BusinessRole | None]:
    """The business of a portal page and the viewer's role (None for a platform admin)."""
    return await businesses.portal_access(session, viewer.actor, business_id)


async def after_refusal(
    viewer: Viewer, session: AsyncSession, business_id: uuid.UUID, exc: HaatError
) -> tuple[Business, BusinessRole | None, str]:
    """After a service refused a portal form with ``exc``: roll the request back (which
    expires what was loaded), load the business and the viewer's role again, and word the
    refusal for the page. Returns ``(business, role, message)``."""
    await session.rollback()
    business, role = await portal(viewer, session, business_id)
    return business, role, error_message(viewer, exc.code, exc.detail, exc.status)


def portal_context(business: Business, role: BusinessRole | None, section: str) -> dict[str, Any]:
    return {"business": business, "role": role, "section": section}


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
    storage = _storage(viewer.request)
    context = {
        **portal_context(business, role, "products"),
        "result": Page.of([product_admin_out(p, storage) for p in items], counted, paging),
        "statuses": STATUSES,
        "chosen": chosen.value if chosen else "",
        "query": q,
        "params": {k: v for k, v in {"status": status, "q": q}.items() if v},
        "can_edit": role in (BusinessRole.ADMIN, BusinessRole.EDITOR),
    }
    return render(viewer, "seller/products.html", context)


def _flat(tree: list[CategoryNode], depth: int = 0) -> list[tuple[str, str, int]]:
    rows: list[tuple[str, str, int]] = []
    for node in tree:
        rows.append((str(node.id), node.name, depth))
        rows.extend(_flat(node.children, depth + 1))
    return rows


async def _form_page(
    viewer: Viewer,
    session: AsyncSession,
    business: Business,
    role: BusinessRole | None,
    values: dict[str, str],
    invalid: set[str],
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        **portal_context(business, role, "products"),
        "values": values,
        "invalid": invalid,
        "error": error,
        "categories": _flat(await categories.tree(session)),
    }
    return render(viewer, "seller/product_new.html", context, status_code=status_code)


@router.get("/{business_id:uuid}/products/new")
async def new_product(
    business_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    business, role = await portal(viewer, session, business_id)
    return await _form_page(
        viewer, session, business, role, {"currency": "INR", "stock": "1"}, set()
    )


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


async def _photo_bytes(request: Request, upload: Any) -> bytes | None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    settings: Settings = provided(Settings)(request)
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"Images are limited to {settings.max_upload_bytes // 2**20} MB")
    return data or None


async def _add_photo(
    viewer: Viewer, session: AsyncSession, product_id: uuid.UUID, data: bytes, alt: str
) -> None:
    settings: Settings = provided(Settings)(viewer.request)
    await gallery.add_image(
        session,
        viewer.actor,
        _storage(viewer.request),
        product_id,
        data,
        max_bytes=settings.max_upload_bytes,
        max_pixels=settings.max_image_pixels,
        alt_text=alt,
    )


@router.post("/{business_id:uuid}/products")
async def create_product(
    business_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    """A new draft, with its first photo when one was taken or chosen (one transaction: a
    refused photo leaves no product behind)."""
    business, role = await portal(viewer, session, business_id)
    form = await viewer.request.form()
    values = form_values(form, *PRODUCT_FIELDS, "attributes")
    data, invalid = _product_data(values)
    body, failed = validate(ProductCreate, {**data, "business_id": business_id})
    invalid |= {"stock" if f == "stock_quantity" else f for f in failed}
    if body is None or invalid:
        message = error_message(viewer, "validation_error", "", 422)
        return await _form_page(
            viewer, session, business, role, values, invalid, error=message, status_code=422
        )
    try:
        product = await catalog.create_product(session, viewer.actor, body)
        photo = await _photo_bytes(viewer.request, form.get("photo"))
        if photo is not None:
            await _add_photo(viewer, session, product.id, photo, body.title)
    except HaatError as exc:
        business, role, message = await after_refusal(viewer, session, business_id, exc)
        return await _form_page(
            viewer, session, business, role, values, set(), error=message, status_code=exc.status
        )
    viewer.flash(viewer.gettext("Product saved as a draft."))
    return RedirectResponse(f"/seller/{business_id}/products/{product.id}", status_code=303)


async def render_product(
    viewer: Viewer,
    session: AsyncSession,
    business: Business,
    role: BusinessRole | None,
    product_id: uuid.UUID,
    *,
    values: dict[str, str] | None = None,
    invalid: set[str] | None = None,
    error: str | None = None,
    jewellery_values: dict[str, str] | None = None,
    jewellery_invalid: set[str] | None = None,
    jewellery_error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The product's edit page; ``jewellery_*`` refill the "Jewellery pricing" form after
    a refusal (its fields, the invalid ones, the service's message)."""
    # `portal` made the viewer a member of ``business``: its own products are theirs to see
    # (with their jewellery pricing); another business's are not found here.
    product = await catalog.get_product(session, viewer.actor, product_id)
    if product.business_id != business.id:
        raise NotFound("No such product")
    shown = product_admin_out(product, _storage(viewer.request))
    if values is None:
        values = {
            "title": shown.title,
            "description": shown.description,
            "category_id": str(shown.category.id) if shown.category else "",
            "price": major(shown.price_minor, shown.currency),
            "currency": shown.currency,
            "sku": shown.sku,
            "stock": str(shown.stock_quantity),
            "attributes": format_attributes(shown.attributes),
        }
    actions = available_actions(
        product.status,
        role,
        requires_approval=business.requires_approval,
        platform_admin=viewer.is_admin,
    )
    locale = viewer.lang.locale
    if jewellery_values is None:
        jewellery_values = jewellery_form.values_of(shown.jewellery, locale)
    jewellery_invalid = jewellery_invalid or set()
    context = {
        **portal_context(business, role, "products"),
        "product": shown,
        "jewellery": {
            "offered": await jewellery.pricing_offered(session, product, business),
            "form": jewellery_values,
            "invalid": jewellery_invalid,
            "messages": jewellery_form.messages(viewer, jewellery_values, jewellery_invalid),
            "error": jewellery_error,
            "examples": jewellery_form.examples(locale),
            "metals": jewellery_form.metal_names(viewer),
            "purities": jewellery_form.purity_groups(viewer),
        },
        "history": await catalog.history(session, viewer.actor, product_id),
        "actions": [a.value for a in actions],
        "can_edit": role in (BusinessRole.ADMIN, BusinessRole.EDITOR)
        and product.status != ProductStatus.ARCHIVED,
        "values": values,
        "invalid": invalid or set(),
        "error": error,
        "categories": _flat(await categories.tree(session)),
    }
    return render(viewer, "seller/product.html", context, status_code=status_code)


@router.get("/{business_id:uuid}/products/{product_id:uuid}")
async def product_page(
    business_id: uuid.UUID, product_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    business, role = await portal(viewer, session, business_id)
    return await render_product(viewer, session, business, role, product_id)


@router.post("/{business_id:uuid}/products/{product_id:uuid}")
async def update_product(
    business_id: uuid.UUID, product_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    business, role = await portal(viewer, session, business_id)
    form = await viewer.request.form()
    values = form_values(form, *PRODUCT_FIELDS, "attributes")
    data, invalid = _product_data(values)
    body, failed = validate(ProductUpdate, data)
    invalid |= {"stock" if f == "stock_quantity" else f for f in failed}
    try:
        if body is None or invalid:
            message = error_message(viewer, "validation_error", "", 422)
            return await render_product(
                viewer,
                session,
                business,
                role,
                product_id,
                values=values,
                invalid=invalid,
                error=message,
                status_code=422,
            )
        await catalog.update_product(session, viewer.actor, product_id, body)
    except HaatError as exc:
        business, role, message = await after_refusal(viewer, session, business_id, exc)
        return await render_product(
            viewer,
            session,
            business,
            role,
            product_id,
            values=values,
            error=message,
            status_code=exc.status,
        )
    viewer.flash(viewer.gettext("Changes saved."))
    return RedirectResponse(f"/seller/{business_id}/products/{product_id}", status_code=303)


@router.post("/{business_id:uuid}/products/{product_id:uuid}/photos")
async def add_photo(
    business_id: uuid.UUID, product_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    business, role = await portal(viewer, session, business_id)
    form = await viewer.request.form()
    try:
        photo = await _photo_bytes(viewer.request, form.get("photo"))
        if photo is None:
            raise Unprocessable("Choose a photo")
        alt = form.get("alt_text")
        await _add_photo(viewer, session, product_id, photo, alt if isinstance(alt, str) else "")
    except HaatError as exc:
        business, role, message = await after_refusal(viewer, session, business_id, exc)
        return await render_product(
            viewer, session, business, role, product_id, error=message, status_code=exc.status
        )
    viewer.flash(viewer.gettext("Photo added."))
    return RedirectResponse(f"/seller/{business_id}/products/{product_id}", status_code=303)


@router.post("/{business_id:uuid}/products/{product_id:uuid}/{action}")
async def product_action(
    business_id: uuid.UUID,
    product_id: uuid.UUID,
    action: ProductAction,
    viewer: CurrentViewer,
    session: DbSession,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """A workflow step; the service decides who may take it."""
    business, role = await portal(viewer, session, business_id)
    if action in (ProductAction.CREATE, ProductAction.REVISE):
        raise NotFound("No such action")
    if action == ProductAction.REJECT and len(reason.strip()) < 3:
        message = viewer.gettext("Say why the product is rejected (at least 3 characters).")
        return await render_product(
            viewer, session, business, role, product_id, error=message, status_code=422
        )
    try:
        await transitions.apply_action(
            session, viewer.actor, product_id, action, reason.strip() or None
        )
    except HaatError as exc:
        business, role, message = await after_refusal(viewer, session, business_id, exc)
        return await render_product(
            viewer, session, business, role, product_id, error=message, status_code=exc.status
        )
    viewer.flash(viewer.gettext("Status changed."))
    return RedirectResponse(f"/seller/{business_id}/products/{product_id}", status_code=303)
