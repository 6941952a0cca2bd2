"""Request and response models of `/api/cart`, `/api/favorites` and `/api/orders`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from haat.commerce.models import OrderStatus, PaymentStatus
from haat.fx.schemas import DisplayPrice

Quantity = Annotated[int, Field(ge=1, le=10_000)]


class CartItemIn(BaseModel):
    product_id: uuid.UUID
    quantity: Quantity = 1


class CartQuantityIn(BaseModel):
    quantity: Quantity


class CartLineOut(BaseModel):
    product_id: uuid.UUID
    business_id: uuid.UUID
    title: str
    sku: str
    quantity: int
    seen_price_minor: int
    price_minor: int = Field(description="the product's price now")
    currency: str
    price_changed: bool
    available: bool = Field(description="public and in stock for this quantity")
    tax_rate_bp: int = Field(description="GST in basis points: 500 = 5 %")
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    display_price: DisplayPrice | None = Field(
        default=None, description="`seen_price_minor` in the display currency, approximate"
    )
    display_total: DisplayPrice | None = Field(
        default=None, description="`total_minor` in the display currency, approximate"
    )


class CurrencyTotal(BaseModel):
    currency: str
    subtotal_minor: int
    tax_minor: int
    shipping_minor: int
    total_minor: int
    display_total: DisplayPrice | None = Field(
        default=None, description="`total_minor` in the display currency, approximate"
    )


class CartOut(BaseModel):
    lines: list[CartLineOut]
    totals: list[CurrencyTotal] = Field(
        description="one per currency: amounts in different currencies are never added"
    )
    display_currency: str | None = Field(
        default=None, description="the currency of the `display_*` amounts, if any"
    )


class FavoriteOut(BaseModel):
    product_id: uuid.UUID
    title: str
    price_minor: int
    currency: str
    available: bool
    added_at: datetime
    display_price: DisplayPrice | None = Field(
        default=None, description="`price_minor` in the display currency, approximate"
    )


class Address(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(None, max_length=32)
    line1: str = Field(min_length=1, max_length=300)
    line2: str = Field("", max_length=300)
    city: str = Field(min_length=1, max_length=120)
    region: str = Field("", max_length=120)
    postal_code: str = Field("", max_length=20)
    country: str = Field(min_length=2, max_length=2)


class CheckoutIn(BaseModel):
    delivery_address: Address
    notes: str = Field("", max_length=2000)


class OrderItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: uuid.UUID | None
    title: str
    sku: str
    unit_price_minor: int
    quantity: int
    tax_rate_bp: int
    tax_minor: int
    line_total_minor: int


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    business_id: uuid.UUID
    buyer_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    customer_name: str
    customer_phone: str | None
    status: OrderStatus
    payment_status: PaymentStatus
    on_credit: bool
    currency: str
    subtotal_minor: int
    tax_minor: int
    shipping_minor: int
    total_minor: int
    delivery_address: dict[str, Any] | None
    notes: str
    items: list[OrderItemOut]
    created_at: datetime
    confirmed_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    refunded_at: datetime | None


class OrderStaffOut(OrderOut):
    admin_notes: str


class StatusIn(BaseModel):
    status: OrderStatus
    note: str | None = Field(None, max_length=2000)


class NotesIn(BaseModel):
    notes: str | None = Field(None, max_length=5000)
    admin_notes: str | None = Field(None, max_length=5000)


class OrderStatusChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: OrderStatus | None
    to_status: OrderStatus
    actor_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class WalkInLine(BaseModel):
    product_id: uuid.UUID
    quantity: Quantity = 1


class WalkInOrderIn(BaseModel):
    """A counter sale to one of the business's customers; ``on_credit`` puts it in the khata."""

    customer_id: uuid.UUID
    items: list[WalkInLine] = Field(min_length=1, max_length=100)
    on_credit: bool = False
    notes: str = Field("", max_length=2000)


class TaxRateIn(BaseModel):
    rate_bp: int = Field(strict=True, ge=0, le=10_000, description="GST in basis points: 500 = 5 %")
    source: str = Field(min_length=3, max_length=500, description="the notification it is from")


class TaxRateOut(BaseModel):
    category_id: uuid.UUID
    category_slug: str
    category_name: str
    rate_bp: int
    source: str
    updated_at: datetime
