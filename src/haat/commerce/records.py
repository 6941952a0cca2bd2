"""What a checkout writes: plain records of the new orders and their lines.

The checkout builds them from the priced cart (`haat.commerce.checkout`); the repository
writes the rows from them (`haat.commerce.repository.order_rows`), and the API's answers
(`OrderOut`) are built from them in turn: a response schema is never used to write.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from haat.commerce.models import PaymentStatus


@dataclass(slots=True)
class NewOrderItem:
    """A line of a new order: the product as sold, at the price seen, with its GST (minor
    units; ``tax_rate_bp`` in basis points)."""

    product_id: uuid.UUID
    title: str
    sku: str
    unit_price_minor: int
    quantity: int
    tax_rate_bp: int
    tax_minor: int
    line_total_minor: int


@dataclass(slots=True)
class NewOrder:
    """A new order of one seller, unpaid; its status is the order machine's first one
    (`haat.commerce.states.ORDER_MACHINE`). Amounts in minor units of ``currency``."""

    id: uuid.UUID
    number: str
    business_id: uuid.UUID
    buyer_id: uuid.UUID | None
    customer_name: str
    customer_phone: str | None
    currency: str
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    delivery_address: dict[str, Any] | None
    notes: str
    created_at: datetime
    items: list[NewOrderItem]
    customer_id: uuid.UUID | None = None
    on_credit: bool = False
    shipping_minor: int = 0
    payment_status: PaymentStatus = PaymentStatus.UNPAID
