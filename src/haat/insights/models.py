"""The append-only table of what shoppers do (behaviour events)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, enum_type


class EventKind(enum.StrEnum):
    PRODUCT_VIEWED = "product_viewed"
    SEARCHED = "searched"
    CART_ITEM_ADDED = "cart_item_added"
    CART_ITEM_REMOVED = "cart_item_removed"
    FAVORITE_ADDED = "favorite_added"
    FAVORITE_REMOVED = "favorite_removed"
    CHECKED_OUT = "checked_out"
    ORDER_CANCELLED = "order_cancelled"


class BehaviourEvent(IdMixin, Base):
    """One thing a shopper did. ``occurred_at`` is when it happened (the request), and
    ``created_at`` when the row was written (a batch, up to seconds later).

    Never updated or deleted by the app. No foreign keys, on purpose: an event outlives the
    user, product or order it names, and a batch never fails on a row deleted meanwhile.
    """

    __tablename__ = "behaviour_events"
    __table_args__ = (
        Index("ix_behaviour_events_occurred_at", "occurred_at"),
        Index("ix_behaviour_events_kind_occurred_at", "kind", "occurred_at"),
        Index("ix_behaviour_events_user_occurred_at", "user_id", "occurred_at"),
        Index("ix_behaviour_events_product_occurred_at", "product_id", "occurred_at"),
    )

    occurred_at: Mapped[datetime]
    kind: Mapped[EventKind] = mapped_column(enum_type(EventKind, 24))
    user_id: Mapped[uuid.UUID | None]
    # The anonymous visitor id (X-Session-Id header or haat_sid cookie), if the client sent one.
    session_id: Mapped[str | None] = mapped_column(String(64))
    product_id: Mapped[uuid.UUID | None]
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
