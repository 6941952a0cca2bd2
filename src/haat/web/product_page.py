"""The seller portal's page of one product: its fields, photos, workflow buttons, history and
"Jewellery pricing" form. Shared by the product pages and the jewellery pricing form, which
render it again with their refusal beside the form that was refused."""

from __future__ import annotations

import uuid

from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import BusinessRole
from haat.catalog import categories
from haat.catalog import service as catalog
from haat.catalog.models import ProductStatus
from haat.catalog.present import product_admin_out
from haat.catalog.schemas import CategoryNode, ProductAdminOut
from haat.catalog.workflow import available_actions
from haat.core.errors import NotFound
from haat.core.storage import LocalStorage
from haat.pricing import jewellery
from haat.web import jewellery_form
from haat.web.formatting import major
from haat.web.forms import format_attributes
from haat.web.portal import portal, portal_context
from haat.web.templating import render
from haat.web.viewer import Viewer

EDITORS = (BusinessRole.ADMIN, BusinessRole.EDITOR)


def category_options(tree: list[CategoryNode], depth: int = 0) -> list[tuple[str, str, int]]:
    """The category tree as ``(id, name, depth)`` rows for a select, parents first."""
    rows: list[tuple[str, str, int]] = []
    for node in tree:
        rows.append((str(node.id), node.name, depth))
        rows.extend(category_options(node.children, depth + 1))
    return rows


def _form_values(shown: ProductAdminOut) -> dict[str, str]:
    """The edit form's fields for the product as stored."""
    return {
        "title": shown.title,
        "description": shown.description,
        "category_id": str(shown.category.id) if shown.category else "",
        "price": major(shown.price_minor, shown.currency),
        "currency": shown.currency,
        "sku": shown.sku,
        "stock": str(shown.stock_quantity),
        "attributes": format_attributes(shown.attributes),
    }


async def render_product(
    viewer: Viewer,
    session: AsyncSession,
    storage: LocalStorage,
    business_id: uuid.UUID,
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
    """The product's edit page; ``values``/``invalid``/``error`` refill the product form and
    ``jewellery_*`` the "Jewellery pricing" form after a refusal (its fields, the invalid
    ones, the message). 404 unless the viewer may see the business's portal and the product
    is the business's."""
    business, role = await portal(viewer, session, business_id)
    # `portal` made the viewer a member of ``business``: its own products are theirs to see
    # (with their jewellery pricing); another business's are not found here.
    product = await catalog.get_product(session, viewer.actor, product_id)
    if product.business_id != business.id:
        raise NotFound("No such product")
    shown = product_admin_out(product, storage)
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
        "can_edit": role in EDITORS and product.status != ProductStatus.ARCHIVED,
        "values": _form_values(shown) if values is None else values,
        "invalid": invalid or set(),
        "error": error,
        "categories": category_options(await categories.tree(session)),
    }
    return render(viewer, "seller/product.html", context, status_code=status_code)
