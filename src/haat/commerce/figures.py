"""Platform figures for staff: products per status, orders per status, GMV and average order
value per currency, and GMV by month.

Definitions (the usual marketplace ones): GMV (gross merchandise value) is the sum of
``total_minor`` (GST included) of orders placed and not cancelled or refunded; the average
order value is GMV divided by the number of those orders, rounded half-even to the minor
unit. Amounts in different currencies are never added together: each currency has its row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import ProductStatus
from haat.commerce.models import OrderStatus
from haat.commerce.repository import figures as repository
from haat.identity.actor import Actor

NOT_SOLD = (OrderStatus.CANCELLED, OrderStatus.REFUNDED)
MONTHS = 12


@dataclass(frozen=True)
class CurrencyFigures:
    currency: str
    orders: int
    gmv_minor: int
    average_order_minor: int


@dataclass(frozen=True)
class MonthFigures:
    month: str  # "2026-11"
    currency: str
    orders: int
    gmv_minor: int


@dataclass(frozen=True)
class PlatformFigures:
    products_by_status: dict[str, int]
    orders_by_status: dict[str, int]
    sales: list[CurrencyFigures]
    by_month: list[MonthFigures]
    as_of: datetime


def average(total_minor: int, count: int) -> int:
    """``total_minor / count`` rounded half-even to a whole minor unit; 0 for no orders."""
    if count == 0:
        return 0
    quotient = Decimal(total_minor) / Decimal(count)
    return int(quotient.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _month_start(now: datetime, months_back: int) -> datetime:
    index = now.year * 12 + now.month - 1 - months_back
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


async def platform_figures(
    session: AsyncSession, actor: Actor, *, now: datetime | None = None
) -> PlatformFigures:
    """The figures above, for platform admins; ``by_month`` covers the current month and the
    11 before it (UTC). Every status appears (0 when none). Raises 401, 403."""
    actor.require_platform_admin()
    now = now or datetime.now(UTC)
    products = dict.fromkeys((s.value for s in ProductStatus), 0)
    for status, count in await repository.products_by_status(session):
        products[status.value] = count
    orders = dict.fromkeys((s.value for s in OrderStatus), 0)
    for order_status, count in await repository.orders_by_status(session):
        orders[order_status.value] = count
    sales = [
        CurrencyFigures(currency, count, total, average(total, count))
        for currency, count, total in await repository.sales_by_currency(session, NOT_SOLD)
    ]
    start = _month_start(now, MONTHS - 1)
    by_month = [
        MonthFigures(*row) for row in await repository.sales_by_month(session, NOT_SOLD, start)
    ]
    return PlatformFigures(products, orders, sales, by_month, now)
