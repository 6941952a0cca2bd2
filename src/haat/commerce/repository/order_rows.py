"""The rows of new orders for a checkout's bulk writes, and the INSERTs that take them.

`order_rows` turns `NewOrder` records into the column values of ``orders``, ``order_items``
and ``order_status_changes`` (the first history row from `ORDER_MACHINE.history_row`).
SQLite writes them with one multi-row INSERT per table (`write_orders`); PostgreSQL inserts
them from arrays (`insert_from_arrays`, `order_array_params`) as CTEs of the checkout's one
statement (`haat.commerce.repository.checkout.PLACE_PG`).
"""

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
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from haat.commerce.models import Order, OrderItem, OrderStatusChange
from haat.commerce.records import NewOrder
from haat.commerce.states import ORDER_MACHINE
from haat.core import repository
from haat.core.db import table_of

ORDERS, ITEMS, HISTORY = table_of(Order), table_of(OrderItem), table_of(OrderStatusChange)
# The tables of `order_rows`, in its order, and `write_orders`'s statement for each.
TABLES = (ORDERS, ITEMS, HISTORY)
INSERTS = tuple(insert(table) for table in TABLES)
Rows = list[dict[str, Any]]


def order_rows(
    orders: list[NewOrder],
    *,
    actor_id: uuid.UUID | None,
    checkout_id: uuid.UUID | None,
    note: str,
) -> tuple[Rows, Rows, Rows]:
    """The rows that store ``orders``: ``(orders, order_items, order_status_changes)``, as
    dicts by column name, each order at the machine's first status with its first history
    row (by ``actor_id``, with ``note``). Ids, numbers, amounts and times as given."""
    order_rows: Rows = []
    item_rows: Rows = []
    history_rows: Rows = []
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
                "status": ORDER_MACHINE.initial,
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
        history_rows.append(ORDER_MACHINE.history_row(order.id, actor_id, note, order.created_at))
    return order_rows, item_rows, history_rows


async def write_orders(
    session: AsyncSession,
    orders: list[NewOrder],
    *,
    actor_id: uuid.UUID | None,
    checkout_id: uuid.UUID | None,
    note: str,
) -> None:
    """Store ``orders`` (`order_rows`) with one multi-row INSERT each for the orders, their
    items and their first history rows, whatever their number."""
    rows = order_rows(orders, actor_id=actor_id, checkout_id=checkout_id, note=note)
    for statement, table_rows in zip(INSERTS, rows, strict=True):
        await repository.run(session, statement, table_rows)


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


def array_params(table: Table, rows: Rows) -> dict[str, list[Any]]:
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
    orders: list[NewOrder],
    *,
    actor_id: uuid.UUID | None,
    checkout_id: uuid.UUID | None,
    note: str,
) -> dict[str, list[Any]]:
    """`write_orders` as the parameters of `insert_from_arrays` for ``orders``, ``items``
    and ``history`` (PostgreSQL, one statement)."""
    rows = order_rows(orders, actor_id=actor_id, checkout_id=checkout_id, note=note)
    params: dict[str, list[Any]] = {}
    for table, table_rows in zip(TABLES, rows, strict=True):
        params |= array_params(table, table_rows)
    return params
