"""The SQL of orders, their items and their status history, and of order numbers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, bindparam, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from haat.catalog.models import Product
from haat.commerce.models import (
    Order,
    OrderItem,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
    PaymentStatus,
)
from haat.core import repository
from haat.core.db import utcnow
from haat.core.pagination import PageParams

NEXT_NUMBERS = select(func.nextval(literal("order_number_seq"))).select_from(
    func.generate_series(1, bindparam("count"))
)


@dataclass(frozen=True)
class OrderFilters:
    """What a list of orders is narrowed to; None (or empty) leaves a filter out."""

    status: OrderStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None  # order number, customer name or phone


def _filtered(stmt: Select[Order], f: OrderFilters) -> Select[Order]:
    if f.status:
        stmt = stmt.where(Order.status == f.status)
    if f.date_from:
        stmt = stmt.where(Order.created_at >= datetime.combine(f.date_from, time(), UTC))
    if f.date_to:
        end = datetime.combine(f.date_to, time(), UTC) + timedelta(days=1)
        stmt = stmt.where(Order.created_at < end)
    if f.search:
        term = f.search.strip()
        stmt = stmt.where(
            or_(
                Order.number.contains(term.upper(), autoescape=True),
                func.lower(Order.customer_name).contains(term.lower(), autoescape=True),
                Order.customer_phone.contains(term, autoescape=True),
            )
        )
    return stmt.order_by(Order.created_at.desc(), Order.id.desc())


async def page(
    session: AsyncSession,
    params: PageParams,
    filters: OrderFilters,
    *,
    buyer_id: uuid.UUID | None = None,
    business_id: uuid.UUID | None = None,
) -> tuple[list[Order], int]:
    """One page of the orders of ``buyer_id`` or of ``business_id`` (the one given), newest
    first, with their items, and their count (`repository.paginate`)."""
    stmt = select(Order)
    if buyer_id is not None:
        stmt = stmt.where(Order.buyer_id == buyer_id)
    if business_id is not None:
        stmt = stmt.where(Order.business_id == business_id)
    return await repository.paginate(
        session, _filtered(stmt, filters), params, options=(selectinload(Order.items),)
    )


async def of_checkout(session: AsyncSession, checkout_id: uuid.UUID) -> list[Order]:
    """The orders a checkout made, with their items, by number."""
    rows = await session.scalars(
        select(Order)
        .where(Order.checkout_id == checkout_id)
        .options(selectinload(Order.items))
        .order_by(Order.number)
    )
    return list(rows)


async def history(session: AsyncSession, order_id: uuid.UUID) -> list[OrderStatusChange]:
    """The order's status changes, oldest first."""
    rows = await session.scalars(
        select(OrderStatusChange)
        .where(OrderStatusChange.order_id == order_id)
        .order_by(OrderStatusChange.created_at, OrderStatusChange.id)
    )
    return list(rows)


async def item_quantities(
    session: AsyncSession, order_id: uuid.UUID
) -> list[tuple[uuid.UUID, int]]:
    """``(product id, quantity)`` of the order's items whose product still exists."""
    rows = await session.execute(
        select(OrderItem.product_id, OrderItem.quantity).where(OrderItem.order_id == order_id)
    )
    return [(product_id, quantity) for product_id, quantity in rows.all() if product_id]


async def products_with_pricing(
    session: AsyncSession, product_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Product]:
    """``{id: product}`` of the given products (those that exist), with their jewellery
    pricing loaded (for GST)."""
    found = await session.scalars(
        select(Product).where(Product.id.in_(product_ids)).options(selectinload(Product.jewellery))
    )
    return {product.id: product for product in found}


async def add_items(session: AsyncSession, order: Order, items: list[OrderItem]) -> None:
    """Add ``items`` to a new ``order`` (written at the next flush, with the order) and set
    ``order.items`` so that it can be shown without a query."""
    for item in items:
        item.order_id = order.id
    await repository.add(session, *items, flush=False)
    set_committed_value(order, "items", items)


async def next_number_values(session: AsyncSession, count: int, year: int) -> list[int]:
    """``count`` new order-number values for ``year``, ascending, in one statement: from a
    PostgreSQL sequence (no lock held), or a counter row per year on SQLite (whose write lock
    serialises writers anyway). Unique, not gap-free."""
    if repository.dialect(session) == "postgresql":
        result = await repository.run(session, NEXT_NUMBERS, {"count": count})
        return sorted(result.scalars())
    last = await session.scalar(
        update(OrderNumberCounter)
        .where(OrderNumberCounter.year == year)
        .values(last=OrderNumberCounter.last + count)
        .returning(OrderNumberCounter.last)
    )
    if last is None:
        await repository.add(session, OrderNumberCounter(year=year, last=count), flush=False)
        last = count
    return list(range(last - count + 1, last + 1))


async def set_payment_status(
    session: AsyncSession, order_id: uuid.UUID, status: PaymentStatus
) -> None:
    """Store the order's ``payment_status`` where it differs (an `Order` already loaded in
    the session sees the new value)."""
    await session.execute(
        update(Order)
        .where(Order.id == order_id, Order.payment_status != status)
        .values(payment_status=status, updated_at=utcnow())
    )


async def touch(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Set the order's ``updated_at`` to now."""
    await session.execute(update(Order).where(Order.id == order_id).values(updated_at=utcnow()))
