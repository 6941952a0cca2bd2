"""Checkout: the cart becomes one order per seller business ("CLOSE" in the AI-shop use case).

Every line is re-validated (still public, same price, enough stock) on the product rows as
they are locked (``SELECT ... FOR UPDATE`` in product id order on PostgreSQL, so concurrent
checkouts of the same products queue instead of deadlocking; SQLite's write lock serialises
writers), and stock is then taken by one conditional UPDATE whose row count is checked
(`haat.catalog.stock.take_all`), so stock is never oversold. An ``Idempotency-Key`` makes a
retried checkout return the orders of the first one; any failure rolls everything back.

The hot path is a fixed handful of statements on the session's connection, whatever the
cart holds: claim the key, read and lock the cart's products (which also draws the order
numbers on PostgreSQL), the tax table, then the write. On PostgreSQL the write is one
statement (`PLACE_PG`: take the stock, insert orders, items and status history from arrays,
empty the cart); on SQLite it is the stock UPDATE, one multi-row INSERT each for orders,
items and history (`haat.commerce.placing.write_orders`) and the cart DELETE.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import selectinload

from haat.catalog import stock
from haat.catalog.models import Product, ProductJewellery, ProductStatus
from haat.catalog.repository.stock import TAKE_ALL_PG, take_all_params
from haat.commerce.cart import ProductNow, price_line
from haat.commerce.models import CartLine, Checkout, Order, OrderStatus, PaymentStatus
from haat.commerce.placing import (
    HISTORY,
    ITEMS,
    ORDERS,
    insert_from_arrays,
    next_order_numbers,
    order_array_params,
    order_number,
    write_orders,
)
from haat.commerce.schemas import CartLineOut, CheckoutIn, OrderItemOut, OrderOut
from haat.commerce.tax import TaxTable
from haat.core.db import table_of, utcnow
from haat.core.errors import Conflict, Unprocessable
from haat.identity.actor import Actor
from haat.insights.models import EventKind
from haat.insights.recorder import record

_checkouts = table_of(Checkout)
_lines = table_of(CartLine)
_products = table_of(Product)
_jewellery = table_of(ProductJewellery)

# The buyer's cart with its products, products locked in id order (PostgreSQL; SQLite has no
# row locks and ignores FOR UPDATE: its write lock, taken at BEGIN, serialises checkouts).
CART_FOR_CHECKOUT = (
    select(
        _lines.c.id.label("line_id"),
        _lines.c.created_at,
        _lines.c.quantity,
        _lines.c.seen_price_minor,
        _lines.c.seen_currency,
        _products.c.id,
        _products.c.business_id,
        _products.c.category_id,
        _products.c.title,
        _products.c.sku,
        _products.c.price_minor,
        _products.c.currency,
        _products.c.status,
        _products.c.stock_quantity,
        _jewellery.c.gst_rate_bp.label("jewellery_gst_rate_bp"),
    )
    .join_from(_lines, _products, _products.c.id == _lines.c.product_id)
    .outerjoin(_jewellery, _jewellery.c.product_id == _products.c.id)
    .where(_lines.c.user_id == bindparam("user_id"))
    .order_by(_products.c.id)
    .with_for_update(of=_products)
)
EMPTY_CART = delete(_lines).where(_lines.c.user_id == bindparam("user_id"))
# PostgreSQL writes a checkout in one statement, data-modifying CTEs run on one snapshot
# (their foreign keys are checked at its end): take the stock, insert the orders, their items
# and their first history rows from arrays, empty the cart; it returns the products whose
# stock was taken, and any missing one rolls the transaction back (`stock.refuse_untaken`).
_TAKEN = TAKE_ALL_PG.cte("taken")
PLACE_PG = (
    select(_TAKEN.c.id)
    .add_cte(
        insert_from_arrays(ORDERS).cte("placed_orders"),
        insert_from_arrays(ITEMS).cte("placed_items"),
        insert_from_arrays(HISTORY).cte("placed_history"),
        EMPTY_CART.cte("emptied_cart"),
    )
    .execution_options(
        writes=("products", "orders", "order_items", "order_status_changes", "cart_lines")
    )
)
_CLAIM_VALUES: dict[str, Any] = {
    "id": bindparam("id"),
    "user_id": bindparam("user_id"),
    "idempotency_key": bindparam("key"),
    "request_hash": bindparam("digest"),
    "created_at": bindparam("now"),
}
# Claiming a key: a concurrent twin with the same key waits for the first to commit, then
# inserts nothing and replays it (or, if the first rolled back, claims the key itself).
CLAIM = {
    "postgresql": pg_insert(_checkouts)
    .values(_CLAIM_VALUES)
    .on_conflict_do_nothing(index_elements=["user_id", "idempotency_key"])
    .returning(_checkouts.c.id),
    "sqlite": sqlite_insert(_checkouts)
    .values(_CLAIM_VALUES)
    .on_conflict_do_nothing(index_elements=["user_id", "idempotency_key"])
    .returning(_checkouts.c.id),
}
# On PostgreSQL the cart read also claims the key (a data-modifying CTE, run once whatever
# the SELECT returns; ``claimed`` is NULL on every row when the key was used) and draws one
# order-number value per line from the sequence: a cart has at least as many lines as
# sellers, so the smallest values number the orders (unique, not gap-free) without a
# statement of their own.
_CLAIMED = CLAIM["postgresql"].cte("claimed")
CLAIM_AND_READ_PG = CART_FOR_CHECKOUT.add_columns(
    func.nextval(literal("order_number_seq")).label("number_value"),
    select(_CLAIMED.c.id).scalar_subquery().label("claimed"),
).execution_options(writes=("checkouts",))
PREVIOUS = select(_checkouts.c.id, _checkouts.c.request_hash).where(
    _checkouts.c.user_id == bindparam("user_id"), _checkouts.c.idempotency_key == bindparam("key")
)


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
    rows = await session.scalars(
        select(Order)
        .where(Order.checkout_id == checkout_id)
        .options(selectinload(Order.items))
        .order_by(Order.number)
    )
    return [OrderOut.model_validate(order) for order in rows]


def _claim_params(user_id: uuid.UUID, key: str, digest: str) -> dict[str, Any]:
    now = utcnow()
    return {"id": uuid.uuid4(), "user_id": user_id, "key": key, "digest": digest, "now": now}


async def _first_use(conn: AsyncConnection, user_id: uuid.UUID, key: str, digest: str) -> uuid.UUID:
    """The checkout that used ``key`` first (a replay). Raises 422 `IdempotencyKeyReused`
    when it had another body."""
    previous = (await conn.execute(PREVIOUS, {"user_id": user_id, "key": key})).one()
    if previous.request_hash != digest:
        raise IdempotencyKeyReused()
    return uuid.UUID(str(previous.id))


async def _claim_and_read(
    conn: AsyncConnection, user_id: uuid.UUID, key: str, digest: str
) -> tuple[uuid.UUID, list[Any] | None]:
    """Claim ``key`` and read the cart with its products locked: ``(checkout id, rows)``
    for a new key, ``(id of its first use, None)`` for a replay. One statement on
    PostgreSQL (`CLAIM_AND_READ_PG`), two on SQLite. Raises 409 `CheckoutConflict` for an
    empty cart, 422 `IdempotencyKeyReused` for a used key with another body."""
    params = _claim_params(user_id, key, digest)
    new_id = params["id"]
    if conn.dialect.name == "postgresql":
        rows = list((await conn.execute(CLAIM_AND_READ_PG, params)).all())
        if rows and rows[0].claimed is not None:
            return new_id, rows
        # A used key, or an empty cart (whose claim the 409's rollback takes back).
        first = await _first_use(conn, user_id, key, digest)
        if first == new_id:
            raise CheckoutConflict("Your cart is empty")
        return first, None
    if (await conn.execute(CLAIM["sqlite"], params)).scalar() is None:
        return await _first_use(conn, user_id, key, digest), None
    rows = list((await conn.execute(CART_FOR_CHECKOUT, {"user_id": user_id})).all())
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
    conn = await session.connection()
    digest = request_hash(body)
    checkout_id, rows = await _claim_and_read(conn, user_id, idempotency_key, digest)
    if rows is None:
        return await existing_orders(session, checkout_id), False
    postgres = conn.dialect.name == "postgresql"
    rows.sort(key=lambda r: (r.created_at, r.line_id))  # the buyer's order of the lines
    taxes = await TaxTable.load(conn)
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
    if postgres:
        drawn = sorted(row.number_value for row in rows)[: len(groups)]
        numbers = [order_number(now.year, value) for value in drawn]
    else:
        numbers = await next_order_numbers(session, len(groups))
    made = [
        _make_order(actor, checkout_id, number, business_id, group, body, now)
        for number, (business_id, group) in zip(numbers, groups, strict=True)
    ]
    if postgres:
        params = {
            **take_all_params(wanted),
            **order_array_params(actor, made, checkout_id=checkout_id, history_note="checkout"),
            "user_id": user_id,
        }
        taken = (await conn.execute(PLACE_PG, params)).scalars()
        stock.refuse_untaken(wanted, set(taken))  # its rollback undoes the whole statement
    else:
        await stock.take_all(session, wanted)
        await write_orders(conn, actor, made, checkout_id=checkout_id, history_note="checkout")
        await conn.execute(EMPTY_CART, {"user_id": user_id})
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
    return made, True


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
    actor: Actor,
    checkout_id: uuid.UUID,
    number: str,
    business_id: uuid.UUID,
    group: list[CartLineOut],
    body: CheckoutIn,
    now: Any,
) -> OrderOut:
    """One seller's order from its lines, at the prices seen, with GST as priced in the
    cart (`price_line`). Raises 409 when the lines are in more than one currency."""
    currencies = {line.currency for line in group}
    if len(currencies) != 1:
        raise CheckoutConflict(
            "One seller's products must share a currency to be ordered together",
            business_id=str(business_id),
        )
    items = [
        OrderItemOut.model_construct(
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
    return OrderOut.model_construct(
        id=uuid.uuid4(),
        number=number,
        business_id=business_id,
        buyer_id=actor.user_id,
        customer_id=None,
        customer_name=body.delivery_address.name,
        customer_phone=body.delivery_address.phone,
        status=OrderStatus.PENDING,
        payment_status=PaymentStatus.UNPAID,
        on_credit=False,
        currency=currencies.pop(),
        subtotal_minor=subtotal,
        tax_minor=tax,
        shipping_minor=0,
        total_minor=subtotal + tax,
        delivery_address=body.delivery_address.model_dump(),
        notes=body.notes,
        items=items,
        created_at=now,
        confirmed_at=None,
        shipped_at=None,
        delivered_at=None,
        completed_at=None,
        cancelled_at=None,
        refunded_at=None,
    )
