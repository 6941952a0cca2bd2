"""Taking and giving back stock: the one place quantities change for a sale."""

from __future__ import annotations

import functools
import uuid

from sqlalchemy import (
    CursorResult,
    Integer,
    Update,
    Uuid,
    bindparam,
    func,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from haat.catalog.models import Product, ProductStatus
from haat.core.db import table_of
from haat.core.errors import Conflict


class OutOfStock(Conflict):
    code, title = "out_of_stock", "Not enough stock"


async def take(
    session: AsyncSession,
    product_id: uuid.UUID,
    quantity: int,
    title: str,
    *,
    public_only: bool,
) -> None:
    """Take ``quantity`` units with a conditional UPDATE (``stock_quantity >= quantity``),
    atomic under PostgreSQL's row lock and SQLite's write lock, so stock never goes below
    zero. ``public_only`` also requires the product to be approved (online checkout).

    Raises `OutOfStock` (409, with ``product_id`` and ``reason``) when it cannot.
    """
    conditions = [Product.id == product_id, Product.stock_quantity >= quantity]
    if public_only:
        conditions.append(Product.status == ProductStatus.APPROVED)
    result = await session.execute(
        update(Product)
        .where(*conditions)
        .values(stock_quantity=Product.stock_quantity - quantity)
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise OutOfStock(
            f"Not enough stock of {title!r} for {quantity}",
            product_id=str(product_id),
            reason="out_of_stock",
        )


@functools.lru_cache(maxsize=128)
def _take_statement(lines: int) -> Update:
    """The UPDATE of `take_all` on SQLite for ``lines`` products, with parameters ``id_<n>``
    and ``quantity_<n>``: one statement object per cart size, so SQLAlchemy compiles it once (a
    VALUES list of parameters is never cached, hence the UNION ALL of one-row SELECTs read
    as a derived table; SQLite has no arrays for `TAKE_ALL_PG`'s ``unnest``)."""
    wanted = union_all(
        *(
            select(
                bindparam(f"id_{n}", type_=Uuid).label("id"),
                bindparam(f"quantity_{n}", type_=Integer).label("quantity"),
            )
            for n in range(lines)
        )
    ).subquery("wanted")
    products = table_of(Product)
    return (
        update(products)
        .where(
            products.c.id == wanted.c.id,
            products.c.stock_quantity >= wanted.c.quantity,
            products.c.status == ProductStatus.APPROVED,
        )
        .values(stock_quantity=products.c.stock_quantity - wanted.c.quantity)
        .returning(products.c.id)
    )


# `take_all` on PostgreSQL as one statement of one shape, whatever the cart size: the wanted
# quantities as two arrays (``take_id``, ``take_quantity``); it can be a data-modifying CTE of
# the checkout's write (`haat.commerce.checkout`). Same conditions as `_take_statement`.
_wanted = (
    func.unnest(
        bindparam("take_id", type_=ARRAY(Uuid)), bindparam("take_quantity", type_=ARRAY(Integer))
    )
    .table_valued("id", "quantity")
    .render_derived(name="wanted")
)
_products = table_of(Product)
TAKE_ALL_PG = (
    update(_products)
    .where(
        _products.c.id == _wanted.c.id,
        _products.c.stock_quantity >= _wanted.c.quantity,
        _products.c.status == ProductStatus.APPROVED,
    )
    .values(stock_quantity=_products.c.stock_quantity - _wanted.c.quantity)
    .returning(_products.c.id)
)


def take_all_params(lines: list[tuple[uuid.UUID, int, str]]) -> dict[str, list[object]]:
    """The parameters of `TAKE_ALL_PG` for ``lines`` (``(product_id, quantity, title)``)."""
    return {"take_id": [line[0] for line in lines], "take_quantity": [line[1] for line in lines]}


def refuse_untaken(lines: list[tuple[uuid.UUID, int, str]], taken: set[uuid.UUID]) -> None:
    """Raise `OutOfStock` (409, with ``product_id`` and ``reason``) for the first line, by
    product id, whose product is not in ``taken`` (the ids the stock UPDATE returned)."""
    for product_id, quantity, title in sorted(lines):
        if product_id not in taken:
            raise OutOfStock(
                f"Not enough stock of {title!r} for {quantity}",
                product_id=str(product_id),
                reason="out_of_stock",
            )


async def take_all(conn: AsyncConnection, lines: list[tuple[uuid.UUID, int, str]]) -> None:
    """Take stock for ``lines`` (``(product_id, quantity, title)``, one line per product) of
    approved products in one conditional UPDATE ... FROM (the wanted quantities): each
    product loses its quantity only where ``stock_quantity >= quantity``, and every product
    must come back from the UPDATE, so stock never goes below zero (atomic under
    PostgreSQL's row locks and SQLite's write lock). Lock the rows in product id order first
    (checkout does, with its ``FOR UPDATE`` read) to avoid deadlocks between concurrent
    callers.

    Raises `OutOfStock` (409, with ``product_id`` and ``reason``) naming the first line, by
    product id, that could not be served; the caller's rollback undoes the others.
    """
    if conn.dialect.name == "postgresql":
        result = await conn.execute(TAKE_ALL_PG, take_all_params(lines))
    else:
        params: dict[str, object] = {}
        for n, (product_id, quantity, _title) in enumerate(lines):
            params[f"id_{n}"], params[f"quantity_{n}"] = product_id, quantity
        result = await conn.execute(_take_statement(len(lines)), params)
    refuse_untaken(lines, set(result.scalars()))
