"""The stock UPDATEs of products: conditional, so stock never goes below zero."""

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
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Product, ProductStatus
from haat.core import repository
from haat.core.db import table_of

# (product id, quantity, title): one line of stock to take or give back.
Line = tuple[uuid.UUID, int, str]
_products = table_of(Product)


async def take_one(
    session: AsyncSession, product_id: uuid.UUID, quantity: int, *, public_only: bool
) -> bool:
    """``stock_quantity -= quantity`` where at least ``quantity`` is left (and, with
    ``public_only``, the product is approved). True when it was taken."""
    conditions = [Product.id == product_id, Product.stock_quantity >= quantity]
    if public_only:
        conditions.append(Product.status == ProductStatus.APPROVED)
    result = await session.execute(
        update(Product)
        .where(*conditions)
        .values(stock_quantity=Product.stock_quantity - quantity)
        .execution_options(synchronize_session=False)
    )
    return isinstance(result, CursorResult) and result.rowcount == 1


@functools.lru_cache(maxsize=128)
def _take_statement(lines: int) -> Update:
    """`take_all`'s UPDATE on SQLite for ``lines`` products, with parameters ``id_<n>`` and
    ``quantity_<n>``: one statement object per cart size, so SQLAlchemy compiles it once (a
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
    return (
        update(_products)
        .where(
            _products.c.id == wanted.c.id,
            _products.c.stock_quantity >= wanted.c.quantity,
            _products.c.status == ProductStatus.APPROVED,
        )
        .values(stock_quantity=_products.c.stock_quantity - wanted.c.quantity)
        .returning(_products.c.id)
    )


# `take_all` on PostgreSQL as one statement of one shape, whatever the cart size: the wanted
# quantities as two arrays (``take_id``, ``take_quantity``). The checkout's one-statement write
# (`haat.commerce.repository.checkout.PLACE_PG`) runs it as a data-modifying CTE.
_wanted = (
    func.unnest(
        bindparam("take_id", type_=ARRAY(Uuid)), bindparam("take_quantity", type_=ARRAY(Integer))
    )
    .table_valued("id", "quantity")
    .render_derived(name="wanted")
)
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


def take_all_params(lines: list[Line]) -> dict[str, list[object]]:
    """The parameters of `TAKE_ALL_PG` for ``lines``."""
    return {"take_id": [line[0] for line in lines], "take_quantity": [line[1] for line in lines]}


async def take_all(session: AsyncSession, lines: list[Line]) -> set[uuid.UUID]:
    """Take the quantities of ``lines`` (one line per product) from approved products in one
    conditional UPDATE; returns the ids of the products whose stock was taken."""
    if repository.dialect(session) == "postgresql":
        result = await repository.run(session, TAKE_ALL_PG, take_all_params(lines))
    else:
        params: dict[str, object] = {}
        for n, (product_id, quantity, _title) in enumerate(lines):
            params[f"id_{n}"], params[f"quantity_{n}"] = product_id, quantity
        result = await repository.run(session, _take_statement(len(lines)), params)
    return set(result.scalars())


async def give_back(session: AsyncSession, quantities: list[tuple[uuid.UUID, int]]) -> None:
    """``stock_quantity += quantity`` for each ``(product id, quantity)``."""
    for product_id, quantity in quantities:
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock_quantity=Product.stock_quantity + quantity)
            .execution_options(synchronize_session=False)
        )
