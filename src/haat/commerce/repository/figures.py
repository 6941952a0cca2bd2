"""The SQL of the platform figures: counts by status, and sales (GMV) per currency and month."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Product, ProductStatus
from haat.commerce.models import Order, OrderStatus
from haat.core import repository


async def products_by_status(session: AsyncSession) -> list[tuple[ProductStatus, int]]:
    """``(status, count)`` of the statuses products have."""
    rows = await session.execute(select(Product.status, func.count()).group_by(Product.status))
    return [(status, int(count)) for status, count in rows.all()]


async def orders_by_status(session: AsyncSession) -> list[tuple[OrderStatus, int]]:
    """``(status, count)`` of the statuses orders have."""
    rows = await session.execute(select(Order.status, func.count()).group_by(Order.status))
    return [(status, int(count)) for status, count in rows.all()]


async def sales_by_currency(
    session: AsyncSession, not_sold: Iterable[OrderStatus]
) -> list[tuple[str, int, int]]:
    """``(currency, orders, sum of total_minor)`` of the orders not in ``not_sold``, by
    currency."""
    rows = await session.execute(
        select(Order.currency, func.count(), func.sum(Order.total_minor))
        .where(Order.status.not_in(not_sold))
        .group_by(Order.currency)
        .order_by(Order.currency)
    )
    return [(currency, int(count), int(total)) for currency, count, total in rows.all()]


def _month_of(session: AsyncSession, column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a UTC timestamp column, in SQL (stored as UTC on both databases)."""
    if repository.dialect(session) == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


async def sales_by_month(
    session: AsyncSession, not_sold: Iterable[OrderStatus], since: datetime
) -> list[tuple[str, str, int, int]]:
    """``(month "YYYY-MM", currency, orders, sum of total_minor)`` of the orders not in
    ``not_sold`` placed from ``since`` on, by month (UTC) and currency."""
    month = _month_of(session, Order.created_at)
    rows = await session.execute(
        select(month, Order.currency, func.count(), func.sum(Order.total_minor))
        .where(Order.status.not_in(not_sold), Order.created_at >= since)
        .group_by(month, Order.currency)
        .order_by(month, Order.currency)
    )
    return [(str(m), currency, int(count), int(total)) for m, currency, count, total in rows.all()]
