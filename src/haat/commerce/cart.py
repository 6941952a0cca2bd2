"""The buyer's cart and favorites: add, change, remove, and totals per currency with GST."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Product, ProductStatus
from haat.catalog.stock import OutOfStock
from haat.commerce.models import CartLine
from haat.commerce.repository import carts
from haat.commerce.schemas import CartLineOut, CartOut, CurrencyTotal, FavoriteOut
from haat.commerce.tax import TaxTable, line_tax
from haat.core import repository
from haat.core.errors import Conflict, NotFound
from haat.fx.display import DisplayConverter, converter_for
from haat.identity.actor import Actor
from haat.insights.models import EventKind
from haat.insights.recorder import record

MAX_LINES = 100


async def public_product(session: AsyncSession, product_id: uuid.UUID) -> Product:
    """An approved product, or `NotFound` (nothing else can be bought or favourited)."""
    product = await carts.product(session, product_id)
    if product is None or product.status != ProductStatus.APPROVED:
        raise NotFound("No such product")
    return product


async def cart_rows(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[CartLine, Product]]:
    """The user's cart lines with their products (and the products' jewellery pricing)."""
    return await carts.lines_with_products(session, user_id)


class SeenLine(Protocol):
    """What pricing reads of a cart line (a `CartLine`, or a row with these columns)."""

    @property
    def quantity(self) -> int: ...
    @property
    def seen_price_minor(self) -> int: ...
    @property
    def seen_currency(self) -> str: ...


class ProductNow(Protocol):
    """What pricing reads of a product as it is now (a `Product`, or a row with these)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def business_id(self) -> uuid.UUID: ...
    @property
    def category_id(self) -> uuid.UUID | None: ...
    @property
    def title(self) -> str: ...
    @property
    def sku(self) -> str: ...
    @property
    def price_minor(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def status(self) -> ProductStatus: ...
    @property
    def stock_quantity(self) -> int: ...
    @property
    def jewellery_gst_rate_bp(self) -> int | None: ...


def price_line(line: SeenLine, product: ProductNow, taxes: TaxTable) -> CartLineOut:
    """A cart line at the seen price with its GST, and whether it can still be bought."""
    rate = taxes.rate_for(product)
    subtotal = line.seen_price_minor * line.quantity
    tax = line_tax(subtotal, rate)
    return CartLineOut(
        product_id=product.id,
        business_id=product.business_id,
        title=product.title,
        sku=product.sku,
        quantity=line.quantity,
        seen_price_minor=line.seen_price_minor,
        price_minor=product.price_minor,
        currency=line.seen_currency,
        price_changed=(product.price_minor, product.currency)
        != (line.seen_price_minor, line.seen_currency),
        available=product.status == ProductStatus.APPROVED
        and product.stock_quantity >= line.quantity,
        tax_rate_bp=rate,
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=subtotal + tax,
    )


def totals(lines: list[CartLineOut]) -> list[CurrencyTotal]:
    """Sums per currency; amounts in different currencies are never added together."""
    by_currency: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        by_currency[line.currency][0] += line.subtotal_minor
        by_currency[line.currency][1] += line.tax_minor
    return [
        CurrencyTotal(
            currency=c, subtotal_minor=s, tax_minor=t, shipping_minor=0, total_minor=s + t
        )
        for c, (s, t) in sorted(by_currency.items())
    ]


def show_in(cart: CartOut, display: DisplayConverter) -> CartOut:
    """Add the approximate display amounts to ``cart`` (lines and per-currency totals);
    the amounts of record are left as they are."""
    cart.display_currency = display.target
    for line in cart.lines:
        line.display_price = display.price(line.seen_price_minor, line.currency)
        line.display_total = display.price(line.total_minor, line.currency)
    for total in cart.totals:
        total.display_total = display.price(total.total_minor, total.currency)
    return cart


async def get_cart(
    session: AsyncSession, actor: Actor, display_currency: str | None = None
) -> CartOut:
    """The caller's cart priced with GST, with display amounts in ``display_currency`` (or
    the user's currency; `haat.fx.display`). Raises 401."""
    user_id = actor.require_user()
    taxes = await TaxTable.load(session)
    lines = [price_line(line, p, taxes) for line, p in await cart_rows(session, user_id)]
    display = await converter_for(session, actor, display_currency, (x.currency for x in lines))
    return show_in(CartOut(lines=lines, totals=totals(lines)), display)


async def add_item(
    session: AsyncSession,
    actor: Actor,
    product_id: uuid.UUID,
    quantity: int,
    display_currency: str | None = None,
) -> CartOut:
    """Add ``quantity`` of a public product (to the line already there, if any), at today's
    price. Raises 404 (not public), 409 `OutOfStock` or when the cart has 100 lines."""
    user_id = actor.require_user()
    found = await carts.product_and_line(session, user_id, product_id)
    if found is None or found[0].status != ProductStatus.APPROVED:
        raise NotFound("No such product")
    product, line = found
    wanted = quantity + (line.quantity if line else 0)
    if product.stock_quantity < wanted:
        raise OutOfStock(
            f"Only {product.stock_quantity} left of {product.title!r}",
            product_id=str(product_id),
            available=product.stock_quantity,
        )
    if line is None:
        await carts.add_line(
            session,
            CartLine(
                user_id=user_id,
                product_id=product_id,
                quantity=wanted,
                seen_price_minor=product.price_minor,
                seen_currency=product.currency,
            ),
        )
    else:
        line.quantity = wanted
        line.seen_price_minor, line.seen_currency = product.price_minor, product.currency
        await repository.flush(session)
    cart = await get_cart(session, actor, display_currency)
    if line is None and len(cart.lines) > MAX_LINES:
        # Counted with the new line in place; the request's rollback takes it out again.
        raise Conflict(f"A cart holds at most {MAX_LINES} different products")
    _record_change(session, actor, product, quantity)
    return cart


def _record_change(session: AsyncSession, actor: Actor, product: Product, change: int) -> None:
    """A behaviour event for ``change`` more (or, negative, fewer) units in the cart."""
    if change:
        kind = EventKind.CART_ITEM_ADDED if change > 0 else EventKind.CART_ITEM_REMOVED
        record(
            session,
            actor,
            kind,
            product_id=product.id,
            quantity=abs(change),
            price_minor=product.price_minor,
            currency=product.currency,
        )


async def set_quantity(
    session: AsyncSession,
    actor: Actor,
    product_id: uuid.UUID,
    quantity: int,
    display_currency: str | None = None,
) -> CartOut:
    """Change a line's quantity; the line takes today's price (the buyer has seen it)."""
    user_id = actor.require_user()
    line = await carts.line(session, user_id, product_id)
    if line is None:
        raise NotFound("This product is not in your cart")
    product = await public_product(session, product_id)
    if product.stock_quantity < quantity:
        raise OutOfStock(
            f"Only {product.stock_quantity} left of {product.title!r}",
            product_id=str(product_id),
            available=product.stock_quantity,
        )
    change = quantity - line.quantity
    line.quantity = quantity
    line.seen_price_minor, line.seen_currency = product.price_minor, product.currency
    await repository.flush(session)
    _record_change(session, actor, product, change)
    return await get_cart(session, actor, display_currency)


async def remove_item(
    session: AsyncSession,
    actor: Actor,
    product_id: uuid.UUID,
    display_currency: str | None = None,
) -> CartOut:
    """Remove a line (idempotent)."""
    user_id = actor.require_user()
    removed = await carts.remove_line(session, user_id, product_id)
    if removed:
        record(session, actor, EventKind.CART_ITEM_REMOVED, product_id=product_id, quantity=removed)
    return await get_cart(session, actor, display_currency)


async def clear(session: AsyncSession, actor: Actor) -> None:
    """Empty the caller's cart. Raises 401."""
    await carts.empty(session, actor.require_user())


async def follow_prices(session: AsyncSession, product_ids: list[uuid.UUID], currency: str) -> int:
    """After a re-pricing that is not the seller changing the deal (a metal rate moved): the
    open cart lines of ``product_ids`` seen in ``currency`` take the products' new price, so
    checkout goes through at it. Returns how many lines changed."""
    return await carts.follow_prices(session, product_ids, currency)


async def list_favorites(
    session: AsyncSession, actor: Actor, display_currency: str | None = None
) -> list[FavoriteOut]:
    """Favourites with today's price (and its display amount in ``display_currency`` or the
    user's currency); a product no longer public shows as unavailable."""
    user_id = actor.require_user()
    rows = await carts.favorites_with_products(session, user_id)
    display = await converter_for(session, actor, display_currency, (p.currency for _, p in rows))
    return [
        FavoriteOut(
            product_id=p.id,
            title=p.title,
            price_minor=p.price_minor,
            currency=p.currency,
            added_at=f.created_at,
            available=p.status == ProductStatus.APPROVED and p.stock_quantity > 0,
            display_price=display.price(p.price_minor, p.currency),
        )
        for f, p in rows
    ]


async def favorite_ids(
    session: AsyncSession, actor: Actor, product_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of ``product_ids`` the actor has favourited (none for anonymous visitors)."""
    if actor.user_id is None or not product_ids:
        return set()
    return await carts.favorite_ids(session, actor.user_id, product_ids)


async def add_favorite(session: AsyncSession, actor: Actor, product_id: uuid.UUID) -> bool:
    """Favourite a public product; True when it was new (idempotent)."""
    user_id = actor.require_user()
    await public_product(session, product_id)
    if await carts.is_favorite(session, user_id, product_id):
        return False
    if not await carts.add_favorite(session, user_id, product_id):
        return False  # a concurrent add of the same favourite
    record(session, actor, EventKind.FAVORITE_ADDED, product_id=product_id)
    return True


async def remove_favorite(session: AsyncSession, actor: Actor, product_id: uuid.UUID) -> None:
    """Forget a favourite (idempotent)."""
    if await carts.remove_favorite(session, actor.require_user(), product_id):
        record(session, actor, EventKind.FAVORITE_REMOVED, product_id=product_id)
