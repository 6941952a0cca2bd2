"""The facts an answer may use: approved products as `ProductFact`, the caller's own orders
as `OrderFact`. Nothing here reads a product that is not approved or an order of anyone but
the caller."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from haat.assistant.repository import catalogue
from haat.assistant.schemas import OrderFact, ProductFact, SellerFact
from haat.catalog.models import Product
from haat.fx.display import DisplayConverter
from haat.identity.actor import Actor

PRODUCT_URL = "/products/{id}"


def product_fact(product: Product, display: DisplayConverter) -> ProductFact:
    """``product`` (business loaded; approved) as the answer shows it; ``display`` is
    prepared for its currency."""
    return ProductFact(
        id=product.id,
        sku=product.sku,
        title=product.title,
        price_minor=product.price_minor,
        currency=product.currency,
        display_price=display.price(product.price_minor, product.currency),
        stock_quantity=product.stock_quantity,
        in_stock=product.stock_quantity > 0,
        seller=SellerFact(id=product.business.id, name=product.business.name),
        url=PRODUCT_URL.format(id=product.id),
    )


async def approved_products(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Product]:
    """Those of ``ids`` that are approved, in the order given (others are left out without
    a trace: a draft's id must not be confirmed to exist)."""
    if not ids:
        return []
    found = {p.id: p for p in await catalogue.approved_products(session, ids)}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


async def own_order(session: AsyncSession, actor: Actor, number: str | None) -> OrderFact | None:
    """The caller's order ``number`` (their latest order when None), or None: an order of
    someone else is exactly as absent as one that does not exist. Anonymous: None."""
    if actor.user_id is None:
        return None
    row = await catalogue.buyers_order(session, actor.user_id, number)
    if row is None:
        return None
    order, seller = row
    return OrderFact(
        number=order.number,
        status=order.status.value,
        seller=seller,
        total_minor=order.total_minor,
        currency=order.currency,
        placed_at=order.created_at,
    )
