"""Carts, favorites, tax rates, orders with their items and status history, checkouts."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from haat.core.db import Base, IdMixin, TimestampMixin, enum_type


class OrderStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentStatus(enum.StrEnum):
    UNPAID = "unpaid"
    PARTIAL = "partial"
    PAID = "paid"
    REFUNDED = "refunded"


class CartLine(TimestampMixin, Base):
    """A product in a buyer's open cart (the "TEMP" order of the AI-shop use case), with the
    price the buyer saw when adding it."""

    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("user_id", "product_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int]
    seen_price_minor: Mapped[int] = mapped_column(BigInteger)
    seen_currency: Mapped[str] = mapped_column(String(3))


class Favorite(IdMixin, Base):
    __tablename__ = "favorites"
    __table_args__ = (UniqueConstraint("user_id", "product_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )


class TaxRate(TimestampMixin, Base):
    """GST rate of a top-level category, in basis points (1800 = 18 %), with its source."""

    __tablename__ = "tax_rates"

    category_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), unique=True
    )
    rate_bp: Mapped[int]
    source: Mapped[str] = mapped_column(Text)


class Checkout(IdMixin, Base):
    """One use of an Idempotency-Key: the request's hash and the orders it made."""

    __tablename__ = "checkouts"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))


class Order(TimestampMixin, Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_business_created", "business_id", "created_at"),
        Index("ix_orders_buyer_created", "buyer_id", "created_at"),
    )

    number: Mapped[str] = mapped_column(String(20), unique=True)
    checkout_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("checkouts.id", ondelete="SET NULL"), index=True
    )
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id"))
    buyer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # A walk-in customer of the business (khata); no buyer account then.
    customer_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_phone: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[OrderStatus] = mapped_column(enum_type(OrderStatus, 16))
    payment_status: Mapped[PaymentStatus] = mapped_column(enum_type(PaymentStatus, 16))
    on_credit: Mapped[bool] = mapped_column(default=False)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    shipping_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    delivery_address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    admin_notes: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]

    items: Mapped[list[OrderItem]] = relationship(lazy="raise", order_by="OrderItem.position")


class OrderItem(IdMixin, Base):
    """A line of an order with title, SKU and price as they were at checkout."""

    __tablename__ = "order_items"

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL")
    )
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(64))
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int]
    tax_rate_bp: Mapped[int]
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    line_total_minor: Mapped[int] = mapped_column(BigInteger)


class OrderStatusChange(IdMixin, Base):
    __tablename__ = "order_status_changes"

    order_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[OrderStatus | None] = mapped_column(enum_type(OrderStatus, 16))
    to_status: Mapped[OrderStatus] = mapped_column(enum_type(OrderStatus, 16))
    note: Mapped[str | None] = mapped_column(Text)


class OrderNumberCounter(Base):
    """The last order number per year where the database has no sequences (SQLite)."""

    __tablename__ = "order_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(BigInteger)
