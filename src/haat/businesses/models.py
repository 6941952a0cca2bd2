"""Businesses, their members with roles, and the artisan clusters they belong to."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, TimestampMixin, enum_type


class BusinessKind(enum.StrEnum):
    ARTISAN_WORKSHOP = "artisan_workshop"
    JEWELLERY_SHOP = "jewellery_shop"
    GROCERY_STORE = "grocery_store"
    EXPORT_HOUSE = "export_house"
    OTHER = "other"


class BusinessRole(enum.StrEnum):
    """Roles inside one business (the multi-business catalogue use case)."""

    ADMIN = "admin"  # everything, including members
    APPROVER = "approver"  # approve or reject products
    EDITOR = "editor"  # create and edit products, handle orders
    VIEWER = "viewer"  # read only


class Cluster(IdMixin, Base):
    """An artisan craft cluster: a town known for a craft (GI registry facts)."""

    __tablename__ = "clusters"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    town: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), default="IN")
    craft: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(120))
    materials: Mapped[str] = mapped_column(String(400), default="")
    gi_tag: Mapped[bool] = mapped_column(default=False)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class Business(TimestampMixin, Base):
    __tablename__ = "businesses"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    kind: Mapped[BusinessKind] = mapped_column(enum_type(BusinessKind, 32))
    description: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120))
    state: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    requires_approval: Mapped[bool] = mapped_column(default=True)
    cluster_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class Membership(TimestampMixin, Base):
    """A user's role in a business."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("business_id", "user_id"),)

    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[BusinessRole] = mapped_column(enum_type(BusinessRole, 16))
