"""The storefront: home, search, product pages, favourites, cart, checkout and my orders."""

from __future__ import annotations

import uuid
from decimal import InvalidOperation
from typing import Annotated, Any

from fastapi import Form, Query
from fastapi.responses import RedirectResponse, Response

from haat.businesses import service as businesses
from haat.catalog import categories
from haat.catalog import service as catalog
from haat.catalog.present import product_out
from haat.catalog.schemas import ProductSort
from haat.commerce import cart, checkout, orders, status
from haat.commerce.models import OrderStatus, PaymentStatus
from haat.commerce.schemas import Address, CheckoutIn, OrderOut
from haat.core.deps import DbSession, Storage
from haat.core.i18n import is_currency
from haat.core.money import to_minor
from haat.core.pagination import Page, PageParams
from haat.payments import business_settings, charges, lifecycle
from haat.payments.models import PaymentProvider
from haat.payments.providers import PaymentProviders, Providers
from haat.payments.schemas import PaymentIn
from haat.payments.views import manual_method, order_money
from haat.web import prices, refusals
from haat.web.forms import form_values, validate
from haat.web.hosted_checkout import order_page_headers
from haat.web.messages import error_message
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer, safe_next

router = page_router()
SEARCH_PER_PAGE = 24
FEATURED = 8
Quantity = Annotated[int, Form(ge=1, le=10_000)]
ADDRESS_FIELDS = ("name", "phone", "line1", "line2", "city", "region", "postal_code", "country")


@router.get("/")
async def home(viewer: CurrentViewer, session: DbSession, storage: Storage) -> Response:
    tree = await categories.tree(session)
    newest = await catalog.list_featured(session, FEATURED)
    context = {
        "categories": tree,
        "products": [product_out(p, storage) for p in newest],
        "display": await prices.converter(viewer, session, {p.currency for p in newest}),
    }
    return render(viewer, "store/home.html", context)


def _price_bound(text: str | None, currency: str) -> int | None:
    if not text:
        return None
    try:
        value = to_minor(text.replace(",", "").strip(), currency)
    except (ValueError, TypeError, InvalidOperation):
        return None
    return value if 0 <= value <= 10**13 else None


@router.get("/search")
async def search(
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
    q: Annotated[str, Query(max_length=200)] = "",
    category: Annotated[str, Query(max_length=140)] = "",
    business: Annotated[str, Query(max_length=40)] = "",
    cluster: Annotated[str, Query(max_length=140)] = "",
    min_price: Annotated[str, Query(max_length=20)] = "",
    max_price: Annotated[str, Query(max_length=20)] = "",
    currency: Annotated[str, Query(max_length=3)] = "INR",
    sort: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """Search with filters. Unusable filter values are ignored rather than refused, so a
    hand-edited address still shows results."""
    currency = currency.upper() if is_currency(currency.upper()) else "INR"
    business_id = _uuid(business)
    low, high = _price_bound(min_price, currency), _price_bound(max_price, currency)
    chosen_sort = ProductSort(sort) if sort in ProductSort.__members__.values() else None
    filters = catalog.ProductFilters(
        search=q.strip() or None,
        category=category or None,
        business=business_id,
        cluster=cluster or None,
        min_price=low,
        max_price=high,
        currency=currency if low is not None or high is not None else None,
        sort=chosen_sort,
    )
    paging = PageParams(page, SEARCH_PER_PAGE)
    items, counted = await catalog.list_public(session, filters, paging)
    sellers, _ = await businesses.list_businesses(session, PageParams(1, 100))
    params = {
        k: v
        for k, v in {
            "q": q,
            "category": category,
            "business": business,
            "cluster": cluster,
            "min_price": min_price,
            "max_price": max_price,
            "currency": currency if min_price or max_price else "",
            "sort": sort,
        }.items()
        if v
    }
    context = {
        "query": q,
        "params": params,
        "result": Page.of([product_out(p, storage) for p in items], counted, paging),
        "tree": await categories.tree(session),
        "sellers": sellers,
        "clusters": await businesses.list_clusters(session),
        "sort_options": list(ProductSort),
        "chosen": {**params, "currency": currency},
        "display": await prices.converter(viewer, session, {p.currency for p in items}),
    }
    return render(viewer, "store/search.html", context)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


@router.get("/products/{product_id:uuid}")
async def product_page(
    product_id: uuid.UUID, viewer: CurrentViewer, session: DbSession, storage: Storage
) -> Response:
    product = await catalog.get_product(session, viewer.actor, product_id)
    cluster = None
    if product.business.cluster_id is not None:
        cluster = await businesses.get_cluster(session, product.business.cluster_id)
    favourite = product.id in await cart.favorite_ids(session, viewer.actor, [product.id])
    context = {
        "product": product_out(product, storage),
        "cluster": cluster,
        "favourite": favourite,
        "display": await prices.converter(viewer, session, [product.currency]),
    }
    return render(viewer, "store/product.html", context)


@router.post("/products/{product_id:uuid}/favorite")
async def toggle_favourite(
    product_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    favourite: Annotated[str, Form(max_length=5)] = "on",
) -> Response:
    """Favourite (``favourite=on``) or un-favourite (``off``); HTMX gets the new button."""
    viewer.actor.require_user()
    if favourite == "off":
        await cart.remove_favorite(session, viewer.actor, product_id)
    else:
        await cart.add_favorite(session, viewer.actor, product_id)
    now = favourite != "off"
    if viewer.request.headers.get("hx-request") == "true":
        context = {"product_id": product_id, "favourite": now}
        return render(viewer, "partials/favourite_button.html", context)
    return RedirectResponse(f"/products/{product_id}", status_code=303)


@router.get("/favorites")
async def favourites(viewer: CurrentViewer, session: DbSession) -> Response:
    items = await cart.list_favorites(session, viewer.actor)
    display = await prices.converter(viewer, session, {f.currency for f in items})
    return render(viewer, "store/favorites.html", {"items": items, "display": display})


async def _cart_page(
    viewer: Viewer, session: DbSession, error: str | None = None, status_code: int = 200
) -> Response:
    current = await cart.get_cart(session, viewer.actor)
    display = await prices.converter(viewer, session, {line.currency for line in current.lines})
    context = {"cart": current, "error": error, "display": display}
    return render(viewer, "store/cart.html", context, status_code=status_code)


@router.get("/cart")
async def cart_page(viewer: CurrentViewer, session: DbSession) -> Response:
    viewer.actor.require_user()
    return await _cart_page(viewer, session)


@router.post("/cart/items")
async def add_to_cart(
    viewer: CurrentViewer,
    session: DbSession,
    product_id: Annotated[uuid.UUID, Form()],
    quantity: Quantity = 1,
) -> Response:
    viewer.actor.require_user()
    async with refusals.caught(viewer, session) as refused:
        await cart.add_item(session, viewer.actor, product_id, quantity)
    if refused:
        return await _cart_page(viewer, session, refused.message, refused.status)
    viewer.flash(viewer.gettext("Added to your cart."))
    return RedirectResponse("/cart", status_code=303)


@router.post("/cart/items/{product_id:uuid}")
async def change_cart_line(
    product_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    quantity: Annotated[int, Form(ge=0, le=10_000)] = 1,
) -> Response:
    """Set a line's quantity; 0 removes it."""
    viewer.actor.require_user()
    async with refusals.caught(viewer, session) as refused:
        if quantity == 0:
            await cart.remove_item(session, viewer.actor, product_id)
        else:
            await cart.set_quantity(session, viewer.actor, product_id, quantity)
    if refused:
        return await _cart_page(viewer, session, refused.message, refused.status)
    return RedirectResponse("/cart", status_code=303)


async def _checkout_page(
    viewer: Viewer,
    session: DbSession,
    values: dict[str, str],
    invalid: set[str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    current = await cart.get_cart(session, viewer.actor)
    if not current.lines:
        return RedirectResponse("/cart", status_code=303)
    context = {
        "cart": current,
        "values": values,
        "invalid": invalid,
        "error": error,
        # One key per visit of the page: a double click or a retried post places the orders
        # once (the checkout is idempotent on it).
        "idempotency_key": values.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(viewer, "store/checkout.html", context, status_code=status_code)


@router.get("/checkout")
async def checkout_page(viewer: CurrentViewer, session: DbSession) -> Response:
    user = viewer.user
    if user is None:
        viewer.actor.require_user()
    assert user is not None
    defaults = {"name": user.full_name, "phone": user.phone or "", "country": user.country or ""}
    return await _checkout_page(viewer, session, defaults, set())


@router.post("/checkout")
async def place_orders(
    viewer: CurrentViewer, session: DbSession, providers: PaymentProviders
) -> Response:
    viewer.actor.require_user()
    form = await viewer.request.form()
    values = form_values(form, *ADDRESS_FIELDS, "notes", "idempotency_key", "method")
    address: dict[str, Any] = {k: values.get(k, "") for k in ADDRESS_FIELDS}
    address["phone"] = address["phone"] or None
    address["country"] = address["country"].upper()
    body, invalid = validate(
        CheckoutIn, {"delivery_address": address, "notes": values.get("notes", "")}
    )
    key = values.get("idempotency_key", "")
    if body is None or not 8 <= len(key) <= 100:
        message = error_message(viewer, "validation_error", "", 422)
        fields = set(invalid) | {str(e) for e in _address_errors(address)}
        return await _checkout_page(viewer, session, values, fields, message, 422)
    async with refusals.caught(viewer, session) as refused:
        placed, _created = await checkout.checkout(session, viewer.actor, body, key)
    if refused:
        return await _checkout_page(viewer, session, values, set(), refused.message, refused.status)
    method = values.get("method", "")
    await _pay_manual_orders(viewer, session, providers, placed, method, key)
    numbers = ", ".join(order.number for order in placed)
    viewer.flash(viewer.gettext("Thank you! Your orders are placed:") + " " + numbers)
    if len(placed) == 1:
        return RedirectResponse(f"/orders/{placed[0].id}", status_code=303)
    return RedirectResponse("/orders", status_code=303)


async def _pay_manual_orders(
    viewer: Viewer,
    session: DbSession,
    providers: Providers,
    placed: list[OrderOut],
    method: str,
    key: str,
) -> None:
    """Open the chosen manual payment (cash on delivery, UPI, bank transfer) of each placed
    order whose seller is paid directly; the seller confirms it when the money arrives.
    Keyed on the checkout's key and the order, so a retried checkout opens nothing twice."""
    chosen = manual_method(method)
    if chosen is None:
        return
    for order in placed:
        provider, _ = await business_settings.provider_of(session, order.business_id)
        if provider != PaymentProvider.MANUAL or order.payment_status != PaymentStatus.UNPAID:
            continue
        await charges.open_payment(
            session,
            viewer.actor,
            providers,
            order.id,
            PaymentIn(method=chosen),
            f"{key}:{order.id}",
        )


def _address_errors(address: dict[str, Any]) -> set[str]:
    """Which address fields fail (the checkout model nests them under delivery_address)."""
    _, invalid = validate(Address, address)
    return invalid


@router.get("/orders")
async def my_orders(
    viewer: CurrentViewer,
    session: DbSession,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    paging = PageParams(page, 20)
    items, counted = await orders.list_orders(session, viewer.actor, paging, orders.OrderFilters())
    names = await businesses.business_names(session, [o.business_id for o in items])
    context = {"result": Page.of(items, counted, paging), "names": names}
    return render(viewer, "store/orders.html", context)


@router.get("/orders/{order_id:uuid}")
async def order_page(
    order_id: uuid.UUID, viewer: CurrentViewer, session: DbSession, providers: PaymentProviders
) -> Response:
    order = await orders.get_order(session, viewer.actor, order_id)
    if order.buyer_id != viewer.actor.user_id:
        # Staff read their business's orders in the seller portal.
        return RedirectResponse(f"/seller/{order.business_id}/orders/{order.id}", status_code=303)
    history = await orders.history(session, viewer.actor, order_id)
    names = await businesses.business_names(session, [order.business_id])
    targets = status.allowed_targets(order.status, staff=False, buyer=True)
    money = await order_money(session, viewer.actor, order)
    context = {
        "order": order,
        "money": money,
        "staff": False,
        "history": history,
        "business_name": names.get(order.business_id, ""),
        "targets": targets,
    }
    return render(
        viewer,
        "store/order.html",
        context,
        headers=order_page_headers(providers, money.provider),
    )


@router.post("/orders/{order_id:uuid}/status")
async def buyer_status(
    order_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    providers: PaymentProviders,
    target: Annotated[OrderStatus, Form(alias="status")],
    next: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """A buyer cancels before processing or completes a delivered order."""
    viewer.actor.require_user()
    async with refusals.flashed(viewer, session):
        await lifecycle.change_order_status(session, viewer.actor, providers, order_id, target)
    return RedirectResponse(safe_next(next, f"/orders/{order_id}"), status_code=303)
