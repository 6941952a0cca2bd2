"""The checkout's SQL, the hot path: a fixed handful of statements whatever the cart holds.

Claim the Idempotency-Key and read the cart with its products locked (one statement on
PostgreSQL, `CLAIM_AND_READ_PG`, which also draws the order numbers), then the write. On
PostgreSQL the write is one statement, `PLACE_PG`: take the stock, insert the orders, their
items and first history rows from arrays, empty the cart. On SQLite it is the catalogue's
stock UPDATE (`haat.catalog.stock.take_all`, called by the service), one multi-row INSERT each
for orders, items and history, and the cart DELETE (`place`).

`PLACE_PG` is the one declared exception to "a table is written only by its own domain": it
runs the catalogue's own stock UPDATE (`haat.catalog.repository.stock.TAKE_ALL_PG`) as one of
its CTEs, and declares every table it writes (``execution_options(writes=...)``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Product, ProductJewellery
from haat.catalog.repository.stock import TAKE_ALL_PG, Line, take_all_params
from haat.commerce.models import CartLine, Checkout
from haat.commerce.records import NewOrder
from haat.commerce.repository import orders
from haat.commerce.repository.order_rows import (
    HISTORY,
    ITEMS,
    ORDERS,
    insert_from_arrays,
    order_array_params,
    write_orders,
)
from haat.core import repository
from haat.core.db import table_of, utcnow

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


async def claim_and_read(
    session: AsyncSession, checkout_id: uuid.UUID, user_id: uuid.UUID, key: str, digest: str
) -> list[Row[Any]] | None:
    """Claim ``key`` for the checkout ``checkout_id`` (with the request's ``digest``) and
    read the user's cart lines with their products locked (the columns of
    `CART_FOR_CHECKOUT`; on PostgreSQL each row also draws a ``number_value``).

    Returns the rows (empty for an empty cart) when this call claimed the key; None when it
    did not: the key was used before, or, on PostgreSQL (one statement, `CLAIM_AND_READ_PG`),
    the cart is empty and the claim cannot be seen (`first_use` then finds this very claim).
    """
    params = {"id": checkout_id, "user_id": user_id, "key": key, "digest": digest}
    params["now"] = utcnow()
    if repository.dialect(session) == "postgresql":
        rows = list((await repository.run(session, CLAIM_AND_READ_PG, params)).all())
        return rows if rows and rows[0].claimed is not None else None
    if (await repository.run(session, CLAIM["sqlite"], params)).scalar() is None:
        return None
    return list((await repository.run(session, CART_FOR_CHECKOUT, {"user_id": user_id})).all())


async def first_use(session: AsyncSession, user_id: uuid.UUID, key: str) -> tuple[uuid.UUID, str]:
    """``(checkout id, request hash)`` of the checkout that claimed ``key`` first."""
    previous = (await repository.run(session, PREVIOUS, {"user_id": user_id, "key": key})).one()
    return uuid.UUID(str(previous.id)), previous.request_hash


async def number_values(
    session: AsyncSession, rows: list[Row[Any]], count: int, year: int
) -> list[int]:
    """``count`` order-number values for ``year``, ascending: on PostgreSQL the smallest of
    those the cart read drew (`CLAIM_AND_READ_PG`), elsewhere new ones
    (`orders.next_number_values`)."""
    if repository.dialect(session) == "postgresql":
        return sorted(row.number_value for row in rows)[:count]
    return await orders.next_number_values(session, count, year)


async def place_at_once(
    session: AsyncSession,
    user_id: uuid.UUID,
    wanted: list[Line],
    made: list[NewOrder],
    checkout_id: uuid.UUID,
    note: str,
) -> set[uuid.UUID] | None:
    """On PostgreSQL, the whole write in one statement (`PLACE_PG`): take the stock of
    ``wanted`` (``(product id, quantity, title)``), insert the orders ``made`` by ``user_id``
    with their items and first history rows (``note``), empty the cart. Returns the ids of
    the products whose stock was taken (the caller refuses the checkout if one is missing).

    Elsewhere (SQLite) it does nothing and returns None: take the stock through
    `haat.catalog.stock.take_all`, then `place`."""
    if repository.dialect(session) != "postgresql":
        return None
    params: dict[str, Any] = {
        **take_all_params(wanted),
        **order_array_params(made, actor_id=user_id, checkout_id=checkout_id, note=note),
        "user_id": user_id,
    }
    return set((await repository.run(session, PLACE_PG, params)).scalars())


async def place(
    session: AsyncSession,
    user_id: uuid.UUID,
    made: list[NewOrder],
    checkout_id: uuid.UUID,
    note: str,
) -> None:
    """Insert the orders ``made`` by ``user_id`` with their items and first history rows
    (``note``; one multi-row INSERT per table), then empty the user's cart."""
    await write_orders(session, made, actor_id=user_id, checkout_id=checkout_id, note=note)
    await repository.run(session, EMPTY_CART, {"user_id": user_id})
