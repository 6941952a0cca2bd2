"""Checkout: the cart becomes one order per seller business ("CLOSE" in the AI-shop use case).

Every line is re-validated (still public, same price, enough stock); stock is reserved with a
conditional UPDATE (``stock_quantity >= wanted``), which is atomic on PostgreSQL (row lock)
and on SQLite (the write lock), so stock is never oversold. An ``Idempotency-Key`` makes a
retried checkout return the orders of the first one; any failure rolls everything back.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from haat.catalog.models import Product, ProductStatus
from haat.commerce import stock
from haat.commerce.cart import cart_rows, clear, price_line
from haat.commerce.models import (
    Checkout,
    Order,
)
from haat.commerce.placing import next_order_numbers, open_order, order_item
from haat.commerce.schemas import CartLineOut, CheckoutIn
from haat.commerce.tax import TaxTable
from haat.core.errors import Conflict, Unprocessable
from haat.identity.actor import Actor
from haat.insights.models import EventKind
from haat.insights.recorder import record


class CheckoutConflict(Conflict):
    code, title = "checkout_conflict", "The cart cannot be checked out as it is"


class IdempotencyKeyReused(Unprocessable):
    code, title = "idempotency_key_reused", "This Idempotency-Key was used for another request"


def request_hash(body: CheckoutIn) -> str:
    """SHA-256 of the request body in canonical JSON: same key + same hash = a replay."""
    payload = json.dumps(body.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


async def existing_orders(session: AsyncSession, checkout_id: uuid.UUID) -> list[Order]:
    rows = await session.scalars(
        select(Order)
        .where(Order.checkout_id == checkout_id)
        .options(selectinload(Order.items))
        .order_by(Order.number)
    )
    return list(rows)


async def checkout(
    session: AsyncSession, actor: Actor, body: CheckoutIn, idempotency_key: str
) -> tuple[list[Order], bool]:
    """Turn the buyer's cart into orders. Returns ``(orders, created)``; ``created`` is False
    for a replay of the same key and body.

    Raises 409 `CheckoutConflict` naming the line (gone, price changed, not enough stock) or
    for an empty cart, 422 `IdempotencyKeyReused` for a used key with another body.
    """
    user_id = actor.require_user()
    digest = request_hash(body)
    previous = await session.scalar(
        select(Checkout).where(
            Checkout.user_id == user_id, Checkout.idempotency_key == idempotency_key
        )
    )
    if previous is not None:
        if previous.request_hash != digest:
            raise IdempotencyKeyReused()
        return await existing_orders(session, previous.id), False
    lines = await cart_rows(session, user_id)
    if not lines:
        raise CheckoutConflict("Your cart is empty")
    record_ = Checkout(user_id=user_id, idempotency_key=idempotency_key, request_hash=digest)
    session.add(record_)
    try:
        await session.flush()  # claims the key: a concurrent twin waits here, then fails
    except IntegrityError:
        raise CheckoutConflict("This checkout is already being processed; retry") from None

    taxes = await TaxTable.load(session)
    priced = [(price_line(line, product, taxes), product) for line, product in lines]
    for out, product in priced:
        _validate(out, product)
    # Rows are locked in product id order, so concurrent checkouts of the same products
    # queue behind each other instead of deadlocking.
    for out, _product in sorted(priced, key=lambda pair: pair[0].product_id):
        await stock.take(session, out.product_id, out.quantity, out.title, public_only=True)
    by_business: dict[uuid.UUID, list[tuple[CartLineOut, Product]]] = defaultdict(list)
    for out, product in priced:
        by_business[product.business_id].append((out, product))
    groups = sorted(by_business.items(), key=lambda kv: str(kv[0]))
    numbers = await next_order_numbers(session, len(groups))
    made = [
        _make_order(session, actor, record_.id, number, business_id, group, body)
        for number, (business_id, group) in zip(numbers, groups, strict=True)
    ]
    await clear(session, actor)
    await session.flush()
    for order in made:
        record(
            session,
            actor,
            EventKind.CHECKED_OUT,
            checkout_id=record_.id,
            order_id=order.id,
            order_number=order.number,
            business_id=order.business_id,
            currency=order.currency,
            total_minor=order.total_minor,
            lines=len(order.items),
        )
    return made, True


def _validate(line: CartLineOut, product: Product) -> None:
    name = product.title
    if product.status != ProductStatus.APPROVED:
        raise CheckoutConflict(
            f"{name!r} is no longer for sale", product_id=str(product.id), reason="unavailable"
        )
    if line.price_changed:
        raise CheckoutConflict(
            f"The price of {name!r} changed from {line.seen_price_minor} to "
            f"{product.price_minor} {product.currency}; review your cart",
            product_id=str(product.id),
            reason="price_changed",
        )


def _make_order(
    session: AsyncSession,
    actor: Actor,
    checkout_id: uuid.UUID,
    number: str,
    business_id: uuid.UUID,
    group: list[tuple[CartLineOut, Product]],
    body: CheckoutIn,
) -> Order:
    currencies = {line.currency for line, _ in group}
    if len(currencies) != 1:
        raise CheckoutConflict(
            "One seller's products must share a currency to be ordered together",
            business_id=str(business_id),
        )
    items = [
        order_item(product, position, line.seen_price_minor, line.quantity, line.tax_rate_bp)
        for position, (line, product) in enumerate(group)
    ]
    return open_order(
        session,
        actor,
        items,
        number=number,
        history_note="checkout",
        checkout_id=checkout_id,
        business_id=business_id,
        buyer_id=actor.user_id,
        currency=currencies.pop(),
        delivery_address=body.delivery_address.model_dump(),
        customer_name=body.delivery_address.name,
        customer_phone=body.delivery_address.phone,
        notes=body.notes,
    )
