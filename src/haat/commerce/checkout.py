"""Checkout: the cart becomes one order per seller business ("CLOSE" in the AI-shop use case).

Every line is re-validated (still public, same price, enough stock) on the product rows as
they are locked (``SELECT ... FOR UPDATE`` in product id order on PostgreSQL, so concurrent
checkouts of the same products queue instead of deadlocking; SQLite's write lock serialises
writers), and stock is then taken by one conditional UPDATE whose row count is checked
(`haat.catalog.stock`), so stock is never oversold. An ``Idempotency-Key`` makes a retried
checkout return the orders of the first one; any failure rolls everything back.

The hot path is a fixed handful of statements, whatever the cart holds: claim the key, read
and lock the cart's products (which also draws the order numbers on PostgreSQL), the tax
table, then the write (`haat.commerce.repository.checkout`: one statement on PostgreSQL).
The orders are built as plain records (`NewOrder`), written from them, and answered as
`OrderOut` built from them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog import stock
from haat.catalog.models import ProductStatus
from haat.commerce.cart import ProductNow, price_line
from haat.commerce.placing import order_number
from haat.commerce.records import NewOrder, NewOrderItem
from haat.commerce.repository import checkout as repository
from haat.commerce.repository import orders
from haat.commerce.schemas import CartLineOut, CheckoutIn, OrderItemOut, OrderOut
from haat.commerce.states import ORDER_MACHINE
from haat.commerce.tax import TaxTable
from haat.core.db import utcnow
from haat.core.errors import Conflict, Unprocessable
from haat.identity.actor import Actor
from haat.insights.models import EventKind
from haat.insights.recorder import record

HISTORY_NOTE = "checkout"


class CheckoutConflict(Conflict):
    code, title = "checkout_conflict", "The cart cannot be checked out as it is"


class IdempotencyKeyReused(Unprocessable):
    code, title = "idempotency_key_reused", "This Idempotency-Key was used for another request"


def request_hash(body: CheckoutIn) -> str:
    """SHA-256 of the request body in canonical JSON: same key + same hash = a replay."""
    payload = json.dumps(body.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


async def existing_orders(session: AsyncSession, checkout_id: uuid.UUID) -> list[OrderOut]:
    """The orders a checkout made, by number (a replay's answer)."""
    return [
        OrderOut.model_validate(order) for order in await orders.of_checkout(session, checkout_id)
    ]


async def _claim_and_read(
    session: AsyncSession, user_id: uuid.UUID, key: str, digest: str
) -> tuple[uuid.UUID, list[Row[Any]] | None]:
    """Claim ``key`` and read the cart with its products locked: ``(checkout id, rows)``
    for a new key, ``(id of its first use, None)`` for a replay. One statement on
    PostgreSQL, two on SQLite. Raises 409 `CheckoutConflict` for an empty cart, 422
    `IdempotencyKeyReused` for a used key with another body."""
    new_id = uuid.uuid4()
    rows = await repository.claim_and_read(session, new_id, user_id, key, digest)
    if rows is None:
        # A used key, or (PostgreSQL) an empty cart, whose claim the 409's rollback takes back.
        first_id, first_digest = await repository.first_use(session, user_id, key)
        if first_digest != digest:
            raise IdempotencyKeyReused()
        if first_id != new_id:
            return first_id, None
    if not rows:
        raise CheckoutConflict("Your cart is empty")
    return new_id, rows


async def checkout(
    session: AsyncSession, actor: Actor, body: CheckoutIn, idempotency_key: str
) -> tuple[list[OrderOut], bool]:
    """Turn the buyer's cart into orders, one per seller business, by business id. Returns
    ``(orders, created)``; ``created`` is False for a replay of the same key and body (the
    orders of the first checkout, by number).

    Raises 409 `CheckoutConflict` naming the line (``product_id`` and ``reason``: gone,
    price changed) or for an empty cart, 409 `stock.OutOfStock` naming the line, 422
    `IdempotencyKeyReused` for a used key with another body.
    """
    user_id = actor.require_user()
    checkout_id, rows = await _claim_and_read(session, user_id, idempotency_key, request_hash(body))
    if rows is None:
        return await existing_orders(session, checkout_id), False
    rows.sort(key=lambda r: (r.created_at, r.line_id))  # the buyer's order of the lines
    taxes = await TaxTable.load(session)
    priced = [(price_line(row, row, taxes), row) for row in rows]
    for out, row in priced:
        _validate(out, row)
    # Under the lock the stock read is current; the UPDATE checks it again all the same.
    for out, row in sorted(priced, key=lambda pair: pair[1].id):
        if row.stock_quantity < out.quantity:
            raise stock.OutOfStock(
                f"Not enough stock of {row.title!r} for {out.quantity}",
                product_id=str(row.id),
                reason="out_of_stock",
            )
    wanted = [(out.product_id, out.quantity, out.title) for out, _ in priced]
    by_business: dict[uuid.UUID, list[CartLineOut]] = defaultdict(list)
    for out, _row in priced:
        by_business[out.business_id].append(out)
    groups = sorted(by_business.items(), key=lambda kv: str(kv[0]))
    now = utcnow()
    values = await repository.number_values(session, rows, len(groups), now.year)
    made = [
        _make_order(user_id, order_number(now.year, value), business_id, group, body, now)
        for value, (business_id, group) in zip(values, groups, strict=True)
    ]
    taken = await repository.place_at_once(
        session, user_id, wanted, made, checkout_id, HISTORY_NOTE
    )
    if taken is not None:  # one statement did it all; its refusal rolls it all back
        stock.refuse_untaken(wanted, taken)
    else:
        await stock.take_all(session, wanted)
        await repository.place(session, user_id, made, checkout_id, HISTORY_NOTE)
    for order in made:
        record(
            session,
            actor,
            EventKind.CHECKED_OUT,
            checkout_id=checkout_id,
            order_id=order.id,
            order_number=order.number,
            business_id=order.business_id,
            currency=order.currency,
            total_minor=order.total_minor,
            lines=len(order.items),
        )
    return [order_out(order) for order in made], True


def _validate(line: CartLineOut, product: ProductNow) -> None:
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
    buyer_id: uuid.UUID,
    number: str,
    business_id: uuid.UUID,
    group: list[CartLineOut],
    body: CheckoutIn,
    now: datetime,
) -> NewOrder:
    """One seller's order from its lines, at the prices seen, with GST as priced in the
    cart (`price_line`). Raises 409 when the lines are in more than one currency."""
    currencies = {line.currency for line in group}
    if len(currencies) != 1:
        raise CheckoutConflict(
            "One seller's products must share a currency to be ordered together",
            business_id=str(business_id),
        )
    items = [
        NewOrderItem(
            product_id=line.product_id,
            title=line.title,
            sku=line.sku,
            unit_price_minor=line.seen_price_minor,
            quantity=line.quantity,
            tax_rate_bp=line.tax_rate_bp,
            tax_minor=line.tax_minor,
            line_total_minor=line.total_minor,
        )
        for line in group
    ]
    tax = sum(line.tax_minor for line in group)
    subtotal = sum(line.subtotal_minor for line in group)
    return NewOrder(
        id=uuid.uuid4(),
        number=number,
        business_id=business_id,
        buyer_id=buyer_id,
        customer_name=body.delivery_address.name,
        customer_phone=body.delivery_address.phone,
        currency=currencies.pop(),
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=subtotal + tax,
        delivery_address=body.delivery_address.model_dump(),
        notes=body.notes,
        created_at=now,
        items=items,
    )


def order_out(order: NewOrder) -> OrderOut:
    """The buyer's view of a new order, built from its record without validation (its
    values come from validated lines)."""
    return OrderOut.model_construct(
        id=order.id,
        number=order.number,
        business_id=order.business_id,
        buyer_id=order.buyer_id,
        customer_id=order.customer_id,
        customer_name=order.customer_name,
        customer_phone=order.customer_phone,
        status=ORDER_MACHINE.initial,
        payment_status=order.payment_status,
        on_credit=order.on_credit,
        currency=order.currency,
        subtotal_minor=order.subtotal_minor,
        tax_minor=order.tax_minor,
        shipping_minor=order.shipping_minor,
        total_minor=order.total_minor,
        delivery_address=order.delivery_address,
        notes=order.notes,
        items=[
            OrderItemOut.model_construct(
                product_id=item.product_id,
                title=item.title,
                sku=item.sku,
                unit_price_minor=item.unit_price_minor,
                quantity=item.quantity,
                tax_rate_bp=item.tax_rate_bp,
                tax_minor=item.tax_minor,
                line_total_minor=item.line_total_minor,
            )
            for item in order.items
        ],
        created_at=order.created_at,
        confirmed_at=None,
        shipped_at=None,
        delivered_at=None,
        completed_at=None,
        cancelled_at=None,
        refunded_at=None,
    )
