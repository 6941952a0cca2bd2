"""Taking and giving back stock: the one place product quantities change for a sale.

Commerce sells; the catalogue owns the products, so checkout, walk-in sales and cancellations
take and give back stock through here.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.repository import stock as repository
from haat.catalog.repository.stock import Line
from haat.core.errors import Conflict


class OutOfStock(Conflict):
    code, title = "out_of_stock", "Not enough stock"


def _refuse(product_id: uuid.UUID, quantity: int, title: str) -> OutOfStock:
    return OutOfStock(
        f"Not enough stock of {title!r} for {quantity}",
        product_id=str(product_id),
        reason="out_of_stock",
    )


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
    if not await repository.take_one(session, product_id, quantity, public_only=public_only):
        raise _refuse(product_id, quantity, title)


def refuse_untaken(lines: list[Line], taken: set[uuid.UUID]) -> None:
    """Raise `OutOfStock` (409, with ``product_id`` and ``reason``) for the first line, by
    product id, whose product is not in ``taken`` (the ids a stock UPDATE returned)."""
    for product_id, quantity, title in sorted(lines):
        if product_id not in taken:
            raise _refuse(product_id, quantity, title)


async def take_all(session: AsyncSession, lines: list[Line]) -> None:
    """Take stock for ``lines`` (``(product_id, quantity, title)``, one line per product) of
    approved products in one conditional UPDATE: each product loses its quantity only where
    ``stock_quantity >= quantity``, and every product must come back from the UPDATE, so
    stock never goes below zero. Lock the rows in product id order first (checkout does,
    with its ``FOR UPDATE`` read) to avoid deadlocks between concurrent callers.

    Raises `OutOfStock` (409, with ``product_id`` and ``reason``) naming the first line, by
    product id, that could not be served; the caller's rollback undoes the others.
    """
    refuse_untaken(lines, await repository.take_all(session, lines))


async def give_back(session: AsyncSession, quantities: list[tuple[uuid.UUID, int]]) -> None:
    """Return ``(product id, quantity)`` pairs to stock (a cancelled order)."""
    await repository.give_back(session, quantities)
