"""Catalogue tables: the category tree, products, their status history and images.

The full-text index (SQLite FTS5 table / PostgreSQL tsvector column) is not mapped here: it is
created by the migrations and queried through `search.py`.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, selectinload

from haat.businesses.models import Business
from haat.core.db import Base, IdMixin, TimestampMixin, enum_type


class ProductStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"  # public
    REJECTED = "rejected"
    UNPUBLISHED = "unpublished"
    ARCHIVED = "archived"


class Category(IdMixin, Base):
    __tablename__ = "categories"

    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class Product(TimestampMixin, Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("business_id", "sku"),
        Index("ix_products_status_published", "status", "published_at", "id"),
        Index("ix_products_status_price", "status", "price_minor", "id"),
        Index("ix_products_business_status", "business_id", "status"),
    )

    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Words the full-text index should find the product by beyond title and description:
    # attribute values, category, business and cluster names. Kept by the service.
    search_terms: Mapped[str] = mapped_column(Text, default="")
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    sku: Mapped[str] = mapped_column(String(64))
    stock_quantity: Mapped[int] = mapped_column(default=0)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[ProductStatus] = mapped_column(
        enum_type(ProductStatus, 24),
        default=ProductStatus.DRAFT,
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    business: Mapped[Business] = relationship(lazy="raise")
    category: Mapped[Category | None] = relationship(lazy="raise")
    images: Mapped[list[ProductImage]] = relationship(
        lazy="raise", order_by="ProductImage.position", cascade="all, delete-orphan"
    )
    # Set for jewellery priced from the metal rate (`haat.pricing.jewellery`).
    jewellery: Mapped[ProductJewellery | None] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def jewellery_gst_rate_bp(self) -> int | None:
        """The GST rate of jewellery priced from the metal rate, in basis points; None for
        other products. ``jewellery`` must be loaded."""
        return self.jewellery.gst_rate_bp if self.jewellery is not None else None


class ProductStatusChange(IdMixin, Base):
    """One transition of a product's status: who, from, to, why, when."""

    __tablename__ = "product_status_changes"

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[ProductStatus | None] = mapped_column(enum_type(ProductStatus, 24))
    to_status: Mapped[ProductStatus] = mapped_column(enum_type(ProductStatus, 24))
    reason: Mapped[str | None] = mapped_column(Text)


class ProductImage(IdMixin, Base):
    __tablename__ = "product_images"

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(255))
    thumbnail_path: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    alt_text: Mapped[str] = mapped_column(String(300), default="")


class Metal(enum.StrEnum):
    """The precious metals with a daily rate (`haat.pricing`)."""

    GOLD = "gold"
    SILVER = "silver"
    PLATINUM = "platinum"


class ProductJewellery(Base):
    """A jewellery product's metal, fineness, weight and making charge, and the price
    computed from them by `haat.pricing.jewellery` at the metal rate of ``rate_as_of``.

    Weights are integer milligrams, fineness parts per thousand, money paise (INR minor
    units). Exactly one of ``making_charge_bp`` (basis points of the metal value) and
    ``making_charge_per_g_minor`` (paise per gram of gross weight) is set. The price columns
    are written together with the product's ``price_minor`` (= metal value + making charge,
    GST excluded as for every catalogue price) whenever the rate or the spec changes.
    """

    __tablename__ = "product_jewellery"
    __table_args__ = (
        CheckConstraint("weight_mg > 0", name="weight_positive"),
        CheckConstraint("purity > 0 AND purity <= 1000", name="purity_range"),
        CheckConstraint(
            "(making_charge_bp IS NULL) <> (making_charge_per_g_minor IS NULL)",
            name="one_making_charge",
        ),
        Index("ix_product_jewellery_metal", "metal"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    metal: Mapped[Metal] = mapped_column(enum_type(Metal, 16))
    purity: Mapped[int]
    weight_mg: Mapped[int] = mapped_column(BigInteger)
    making_charge_bp: Mapped[int | None]
    making_charge_per_g_minor: Mapped[int | None] = mapped_column(BigInteger)
    # The price as last computed: the rate used (paise per gram of fine metal), its date
    # and source, the lines of the breakdown and the GST rate that applies to them.
    rate_minor_per_g: Mapped[int] = mapped_column(BigInteger)
    rate_as_of: Mapped[date]
    rate_source: Mapped[str] = mapped_column(String(200))
    metal_value_minor: Mapped[int] = mapped_column(BigInteger)
    making_charge_minor: Mapped[int] = mapped_column(BigInteger)
    gst_rate_bp: Mapped[int]
    gst_minor: Mapped[int] = mapped_column(BigInteger)
    priced_at: Mapped[datetime]


# What a product's card or page shows beside its own columns, loaded with it (business and
# category joined, images and jewellery pricing in one query each). Other domains' queries of
# products for display (the assistant's) use it too.
LOAD_FOR_DISPLAY = (
    joinedload(Product.business),
    joinedload(Product.category),
    selectinload(Product.images),
    selectinload(Product.jewellery),
)
