"""Opening an order, shared by online checkout and walk-in sales: its number, the item
snapshots (title, SKU, price, GST), the totals derived from them, and the first history row."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Enum,
    Insert,
    String,
    Table,
    Text,
    bindparam,
    cast,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.types import TypeEngine

from haat.catalog.models import Product
from haat.commerce.models import (
    Order,
    OrderItem,
    OrderNumberCounter,
    OrderStatus,
    OrderStatusChange,
    PaymentStatus,
)
from haat.commerce.schemas import OrderOut
from haat.commerce.status import record
from haat.commerce.tax import line_tax
from haat.core.db import table_of, utcnow
from haat.identity.actor import Actor

NEXT_NUMBERS = select(func.nextval(literal("order_number_seq"))).select_from(
    func.generate_series(1, bindparam("count"))
)
ORDERS, ITEMS, HISTORY = table_of(Order), table_of(OrderItem), table_of(OrderStatusChange)
# The tables of `order_rows`, in its order, and `write_orders`'s statement for each.
TABLES = (ORDERS, ITEMS, HISTORY)
INSERTS = tuple(insert(table) for table in TABLES)


async def next_order_numbers(session: AsyncSession, count: int = 1) -> list[str]:
    """``count`` new numbers ``HT-YYYY-NNNNNN``, ascending, in one statement: a PostgreSQL
    sequence (no lock held), or a counter row on SQLite (whose write lock serialises writers
    anyway). Unique, not gap-free."""
    year = utcnow().year
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        values = sorted((await conn.execute(NEXT_NUMBERS, {"count": count})).scalars())
    else:
        result = await session.execute(
            update(OrderNumberCounter)
            .where(OrderNumberCounter.year == year)
            .values(last=OrderNumberCounter.last + count)
            .returning(OrderNumberCounter.last)
        )
        last = result.scalar()
        if last is None:
            session.add(OrderNumberCounter(year=year, last=count))
            last = count
        values = list(range(last - count + 1, last + 1))
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


def open_order(
    session: AsyncSession,
    actor: Actor,
    items: list[OrderItem],
    *,
    number: str,
    history_note: str,
    **fields: Any,
) -> Order:
    """A pending, unpaid order ``number`` holding ``items``, its totals summed from them,
    with its first history row, added to ``session`` (written at its next flush, with the
    other orders of a checkout). ``fields`` are the other `Order` columns (business,
    currency, ...). The order's ``items`` are set, so it can be shown without a query."""
    tax = sum(i.tax_minor for i in items)
    subtotal = sum(i.line_total_minor for i in items) - tax
    order = Order(
        id=uuid.uuid4(),
        number=number,
        status=OrderStatus.PENDING,
        payment_status=PaymentStatus.UNPAID,
        subtotal_minor=subtotal,
        tax_minor=tax,
        shipping_minor=0,
        total_minor=subtotal + tax,
        **fields,
    )
    session.add(order)
    for item in items:
        item.order_id = order.id
        session.add(item)
    set_committed_value(order, "items", items)
    record(session, order, actor, None, OrderStatus.PENDING, history_note)
    return order


def order_rows(
    actor: Actor,
    orders: list[OrderOut],
    *,
    checkout_id: uuid.UUID | None,
    history_note: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows that store ``orders`` (new, pending, unpaid, with their items): ``(orders,
    order_items, order_status_changes)``, as dicts by column name, one first history row per
    order. Ids, numbers, amounts and times come from ``orders`` as given."""
    order_rows: list[dict[str, Any]] = []
    item_rows: list[dict[str, Any]] = []
    history_rows: list[dict[str, Any]] = []
    for order in orders:
        order_rows.append(
            {
                "id": order.id,
                "number": order.number,
                "checkout_id": checkout_id,
                "business_id": order.business_id,
                "buyer_id": order.buyer_id,
                "customer_id": order.customer_id,
                "customer_name": order.customer_name,
                "customer_phone": order.customer_phone,
                "status": order.status,
                "payment_status": order.payment_status,
                "on_credit": order.on_credit,
                "currency": order.currency,
                "subtotal_minor": order.subtotal_minor,
                "tax_minor": order.tax_minor,
                "shipping_minor": order.shipping_minor,
                "total_minor": order.total_minor,
                "delivery_address": order.delivery_address,
                "notes": order.notes,
                "admin_notes": "",
                "confirmed_at": None,
                "shipped_at": None,
                "delivered_at": None,
                "completed_at": None,
                "cancelled_at": None,
                "refunded_at": None,
                "created_at": order.created_at,
                "updated_at": order.created_at,
            }
        )
        for position, item in enumerate(order.items):
            item_rows.append(
                {
                    "id": uuid.uuid4(),
                    "created_at": order.created_at,
                    "order_id": order.id,
                    "product_id": item.product_id,
                    "position": position,
                    "title": item.title,
                    "sku": item.sku,
                    "unit_price_minor": item.unit_price_minor,
                    "quantity": item.quantity,
                    "tax_rate_bp": item.tax_rate_bp,
                    "tax_minor": item.tax_minor,
                    "line_total_minor": item.line_total_minor,
                }
            )
        history_rows.append(
            {
                "id": uuid.uuid4(),
                "created_at": order.created_at,
                "order_id": order.id,
                "actor_id": actor.user_id,
                "from_status": None,
                "to_status": order.status,
                "note": history_note,
            }
        )
    return order_rows, item_rows, history_rows


async def write_orders(
    conn: AsyncConnection,
    actor: Actor,
    orders: list[OrderOut],
    *,
    checkout_id: uuid.UUID | None,
    history_note: str,
) -> None:
    """Store ``orders`` (`order_rows`) of one checkout with one multi-row INSERT each for the
    orders, their items and their first status history row, whatever their number."""
    rows = order_rows(actor, orders, checkout_id=checkout_id, history_note=history_note)
    for statement, table_rows in zip(INSERTS, rows, strict=True):
        await conn.execute(statement, table_rows)


def _array_type(column: Column[Any]) -> TypeEngine[Any]:
    """The PostgreSQL array element type that carries ``column``'s values: JSON travels as
    text (cast back in the statement), enums as their string values."""
    if isinstance(column.type, JSON):
        return Text()
    if isinstance(column.type, Enum):
        return String(column.type.length)
    return column.type


def insert_from_arrays(table: Table) -> Insert:
    """``INSERT INTO table (...) SELECT ... FROM unnest(:table_col1, :table_col2, ...)``
    (PostgreSQL): any number of rows in one statement of one shape, so it is compiled and
    prepared once, and it can be a data-modifying CTE of a bigger statement. Parameters by
    `array_params`."""
    names = [column.name for column in table.columns]
    arrays = func.unnest(
        *(
            bindparam(f"{table.name}_{column.name}", type_=ARRAY(_array_type(column)))
            for column in table.columns
        )
    )
    given = arrays.table_valued(*names).render_derived(name=f"{table.name}_given")
    values = [
        cast(given.c[name], JSON) if isinstance(table.c[name].type, JSON) else given.c[name]
        for name in names
    ]
    return insert(table).from_select(names, select(*values))


def array_params(table: Table, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The parameters of `insert_from_arrays` for ``rows``: one list per column, in row
    order (JSON values as JSON text, enums as their values)."""
    params: dict[str, list[Any]] = {}
    for column in table.columns:
        values = [row[column.name] for row in rows]
        if isinstance(column.type, JSON):
            values = [None if v is None else json.dumps(v) for v in values]
        elif isinstance(column.type, Enum):
            values = [None if v is None else str(v) for v in values]
        params[f"{table.name}_{column.name}"] = values
    return params


def order_array_params(
    actor: Actor,
    orders: list[OrderOut],
    *,
    checkout_id: uuid.UUID | None,
    history_note: str,
) -> dict[str, list[Any]]:
    """`write_orders` as the parameters of `insert_from_arrays` for ``orders``, ``items``
    and ``history`` (PostgreSQL, one statement: `haat.commerce.checkout.PLACE_PG`)."""
    rows = order_rows(actor, orders, checkout_id=checkout_id, history_note=history_note)
    params: dict[str, list[Any]] = {}
    for table, table_rows in zip(TABLES, rows, strict=True):
        params |= array_params(table, table_rows)
    return params
