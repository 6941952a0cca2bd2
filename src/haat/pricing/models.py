"""The daily rate table: INR per gram of fine metal, one row per metal and date.

A rate is stored as integer paise (INR minor units) per gram of fine (pure) metal, so
``rate_minor_per_g = 1290823`` is ₹12,908.23 a gram. The World Bank/LBMA gold price the seed
comes from is quoted per troy ounce of fine gold, and a jewellery piece's metal value scales
the rate by its fineness (`haat.pricing.jewellery`). A rate applies from ``as_of`` until a
later one of the same metal; rates are never dated in the future, so "the latest rate" is
always the one in force today.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haat.catalog.models import Metal
from haat.core.db import Base, IdMixin, enum_type, utcnow

CURRENCY = "INR"


class MetalRate(IdMixin, Base):
    """One dated rate of one metal, with where it came from and who entered it."""

    __tablename__ = "metal_rates"
    __table_args__ = (
        UniqueConstraint("metal", "as_of"),
        CheckConstraint("rate_minor_per_g > 0", name="rate_positive"),
    )

    metal: Mapped[Metal] = mapped_column(enum_type(Metal, 16))
    as_of: Mapped[date]
    rate_minor_per_g: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
