"""`/api/cart`, `/api/favorites` and `/api/orders`.

`PUT /api/orders/{id}/status` is served by `haat.payments.router`: a status change moves
money (refunds, releases), and `commerce` never imports `payments`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import TypeAdapter

from haat.catalog.models import Category
from haat.commerce import cart, checkout, orders, tax, walkin
from haat.commerce.models import Order, OrderStatus, TaxRate
from haat.commerce.schemas import (
    CartItemIn,
    CartOut,
    CartQuantityIn,
    CheckoutIn,
    FavoriteOut,
    NotesIn,
    OrderOut,
    OrderStaffOut,
    OrderStatusChangeOut,
    TaxRateIn,
    TaxRateOut,
    WalkInOrderIn,
)
from haat.core.dates import IsoDate
from haat.core.deps import DbSession, IdempotencyKey
from haat.core.errors import responses
from haat.core.pagination import Page, PageParams, page_params
from haat.fx.schemas import DisplayCurrency
from haat.identity.actor import Actor
from haat.identity.auth import AuthenticatedActor

cart_router = APIRouter(prefix="/api/cart", tags=["cart"])
favorites_router = APIRouter(prefix="/api/favorites", tags=["favorites"])
orders_router = APIRouter(prefix="/api/orders", tags=["orders"])
tax_router = APIRouter(prefix="/api/tax-rates", tags=["tax"])
Paging = Annotated[PageParams, Depends(page_params)]
ORDERS_JSON = TypeAdapter(list[OrderOut])


@cart_router.get("", response_model=CartOut, responses=responses(401, 422))
async def get_cart(
    actor: AuthenticatedActor, session: DbSession, display_currency: DisplayCurrency = None
) -> CartOut:
    """The open cart: lines at the price seen, today's price, availability, totals with GST
    per currency, and each amount approximately in `display_currency` (default: yours)."""
    return await cart.get_cart(session, actor, display_currency)


@cart_router.post("/items", response_model=CartOut, responses=responses(401, 404, 409, 422))
async def add_item(
    data: CartItemIn,
    actor: AuthenticatedActor,
    session: DbSession,
    display_currency: DisplayCurrency = None,
) -> CartOut:
    """Add a product (or more of it)."""
    return await cart.add_item(session, actor, data.product_id, data.quantity, display_currency)


@cart_router.patch(
    "/items/{product_id:uuid}", response_model=CartOut, responses=responses(401, 404, 409, 422)
)
async def set_quantity(
    product_id: uuid.UUID,
    data: CartQuantityIn,
    actor: AuthenticatedActor,
    session: DbSession,
    display_currency: DisplayCurrency = None,
) -> CartOut:
    """Change the quantity; the line takes today's price."""
    return await cart.set_quantity(session, actor, product_id, data.quantity, display_currency)


@cart_router.delete(
    "/items/{product_id:uuid}", response_model=CartOut, responses=responses(401, 404, 422)
)
async def remove_item(
    product_id: uuid.UUID,
    actor: AuthenticatedActor,
    session: DbSession,
    display_currency: DisplayCurrency = None,
) -> CartOut:
    return await cart.remove_item(session, actor, product_id, display_currency)


@favorites_router.get("", response_model=list[FavoriteOut], responses=responses(401, 422))
async def list_favorites(
    actor: AuthenticatedActor, session: DbSession, display_currency: DisplayCurrency = None
) -> list[FavoriteOut]:
    """Favourites with today's price (also approximately in `display_currency`, default
    yours) and availability."""
    return await cart.list_favorites(session, actor, display_currency)


@favorites_router.put("/{product_id:uuid}", status_code=204, responses=responses(401, 404))
async def add_favorite(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> Response:
    """Favourite a product (idempotent)."""
    await cart.add_favorite(session, actor, product_id)
    return Response(status_code=204)


@favorites_router.delete("/{product_id:uuid}", status_code=204, responses=responses(401, 404, 422))
async def remove_favorite(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> Response:
    await cart.remove_favorite(session, actor, product_id)
    return Response(status_code=204)


def _view(order: Order, staff: bool) -> OrderOut:
    return (OrderStaffOut if staff else OrderOut).model_validate(order)


async def _out(session: DbSession, actor: Actor, order: Order) -> OrderOut:
    return await orders.view(session, actor, order)


# Documented as the staff view; buyers get the same fields without ``admin_notes``.
OrderView = OrderStaffOut | OrderOut


@orders_router.post(
    "",
    status_code=201,
    response_model=OrderView,
    responses=responses(401, 403, 404, 409, 422),
)
async def create_walk_in_order(
    data: WalkInOrderIn, actor: AuthenticatedActor, session: DbSession
) -> OrderOut:
    """Record a sale to a walk-in customer of your business, optionally on credit (khata)."""
    order = await walkin.create_walk_in_order(session, actor, data)
    return await _out(session, actor, await orders.get_order(session, actor, order.id))


@orders_router.post(
    "/checkout",
    status_code=201,
    response_model=list[OrderView],
    responses={
        200: {"model": list[OrderView], "description": "A replay: the first checkout's orders"},
        **responses(401, 409, 422),
    },
)
async def checkout_cart(
    data: CheckoutIn,
    key: IdempotencyKey,
    actor: AuthenticatedActor,
    session: DbSession,
) -> Response:
    """Turn the cart into one order per seller, reserving stock. A retry with the same
    Idempotency-Key and body returns the same orders (200)."""
    made, created = await checkout.checkout(session, actor, data, key)
    # Serialised here in one pass (the orders are built by the service from validated
    # lines): FastAPI's response validation would check every field again.
    return Response(
        ORDERS_JSON.dump_json(made),
        status_code=201 if created else 200,
        media_type="application/json",
    )


@orders_router.get("", response_model=Page[OrderView], responses=responses(401, 403, 404, 422))
async def list_orders(
    actor: AuthenticatedActor,
    session: DbSession,
    paging: Paging,
    business: uuid.UUID | None = None,
    status_: Annotated[OrderStatus | None, Query(alias="status")] = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[OrderView]:
    """Your orders, or with `business` that business's orders (its members)."""
    filters = orders.OrderFilters(
        status=status_, date_from=date_from, date_to=date_to, search=search
    )
    items, total = await orders.list_orders(session, actor, paging, filters, business)
    # A business's list is for its members only (checked by the service): all staff views.
    staff = business is not None
    return Page.of([_view(o, staff) for o in items], total, paging)


@orders_router.get("/{order_id:uuid}", response_model=OrderView, responses=responses(401, 404))
async def get_order(order_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession) -> OrderOut:
    return await _out(session, actor, await orders.get_order(session, actor, order_id))


@orders_router.put(
    "/{order_id:uuid}/notes", response_model=OrderView, responses=responses(401, 403, 404, 422)
)
async def set_notes(
    order_id: uuid.UUID, data: NotesIn, actor: AuthenticatedActor, session: DbSession
) -> OrderOut:
    """Buyer-visible notes, and internal `admin_notes` (staff only)."""
    order = await orders.set_notes(session, actor, order_id, data.notes, data.admin_notes)
    return await _out(session, actor, order)


@orders_router.get(
    "/{order_id:uuid}/history",
    response_model=list[OrderStatusChangeOut],
    responses=responses(401, 404),
)
async def order_history(
    order_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> list[OrderStatusChangeOut]:
    return [
        OrderStatusChangeOut.model_validate(c)
        for c in await orders.history(session, actor, order_id)
    ]


def _rate_out(rate: TaxRate, category: Category) -> TaxRateOut:
    return TaxRateOut(
        category_id=category.id,
        category_slug=category.slug,
        category_name=category.name,
        rate_bp=rate.rate_bp,
        source=rate.source,
        updated_at=rate.updated_at,
    )


@tax_router.get("", response_model=list[TaxRateOut])
async def list_tax_rates(session: DbSession) -> list[TaxRateOut]:
    """GST rates per category with their source; a category without one takes its parent's,
    else the standard 18 %."""
    return [_rate_out(r, c) for r, c in await tax.list_rates(session)]


@tax_router.put(
    "/{category_id:uuid}", response_model=TaxRateOut, responses=responses(401, 403, 404, 422)
)
async def set_tax_rate(
    category_id: uuid.UUID, data: TaxRateIn, actor: AuthenticatedActor, session: DbSession
) -> TaxRateOut:
    """Set a category's GST rate (platform admins)."""
    return _rate_out(*await tax.set_rate(session, actor, category_id, data.rate_bp, data.source))


@tax_router.delete("/{category_id:uuid}", status_code=204, responses=responses(401, 403, 404, 422))
async def remove_tax_rate(
    category_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> Response:
    """Drop a category's own rate (platform admins); it falls back to its parent's."""
    await tax.remove_rate(session, actor, category_id)
    return Response(status_code=204)
