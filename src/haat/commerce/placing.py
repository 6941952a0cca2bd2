"""Opening an order, shared by online checkout and walk-in sales: its number, the item
snapshots (title, SKU, price, GST), the totals derived from them, and its first status and
history row (`ORDER_MACHINE`). The checkout writes its orders in bulk
(`haat.commerce.repository.checkout`); a walk-in sale opens one with `open_order`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Product
from haat.commerce.models import Order, OrderItem, PaymentStatus
from haat.commerce.repository import orders as repository
from haat.commerce.states import ORDER_MACHINE
from haat.commerce.tax import line_tax
from haat.core.db import utcnow
from haat.identity.actor import Actor


async def next_order_numbers(session: AsyncSession, count: int = 1) -> list[str]:
    """``count`` new numbers ``HT-YYYY-NNNNNN``, ascending, in one statement: a PostgreSQL
    sequence (no lock held), or a counter row on SQLite (whose write lock serialises writers
    anyway). Unique, not gap-free."""
    year = utcnow().year
    values = await repository.next_number_values(session, count, year)
    return [order_number(year, value) for value in values]


def order_number(year: int, value: int) -> str:
    """``HT-YYYY-NNNNNN``: the year and a counter value of at least six digits."""
    return f"HT-{year}-{int(value):06d}"


def order_item(
    product: Product, position: int, unit_price_minor: int, quantity: int, rate_bp: int
) -> OrderItem:
    """A snapshot of a product as sold: GST by `line_tax` on ``unit_price x quantity``."""
    subtotal = unit_price_minor * quantity
    tax = line_tax(subtotal, rate_bp)
    return OrderItem(
        product_id=product.id,
        position=position,
        title=product.title,
        sku=product.sku,
        unit_price_minor=unit_price_minor,
        quantity=quantity,
        tax_rate_bp=rate_bp,
        tax_minor=tax,
        line_total_minor=subtotal + tax,
    )


async def open_order(
    session: AsyncSession,
    actor: Actor,
    items: list[OrderItem],
    *,
    number: str,
    history_note: str,
    **fields: Any,
) -> Order:
    """An unpaid order ``number`` holding ``items``, its totals summed from them, at the
    order machine's first status with its first history row (``history_note``), added to
    ``session`` (written at its next flush). ``fields`` are the other `Order` columns
    (business, currency, ...). The order's ``items`` are set, so it can be shown without a
    query."""
    tax = sum(i.tax_minor for i in items)
    subtotal = sum(i.line_total_minor for i in items) - tax
    order = Order(
        number=number,
        payment_status=PaymentStatus.UNPAID,
        subtotal_minor=subtotal,
        tax_minor=tax,
        shipping_minor=0,
        total_minor=subtotal + tax,
        **fields,
    )
    await ORDER_MACHINE.start(
        session, order, actor_id=actor.user_id, note=history_note, flush=False
    )
    await repository.add_items(session, order, items)
    return order
