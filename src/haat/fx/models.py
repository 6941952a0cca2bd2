"""Foreign-exchange rates by date, for showing prices in the buyer's currency.

A rate row says: from ``as_of`` on (until a later row for the same pair), one unit of
``base_currency`` is worth ``rate`` units of ``quote_currency``. The seeded rows are USD -> X
(units of X per US dollar, monthly, from the Federal Reserve); staff may add any pair.

Rates are stored as integers scaled by 10**10 (`ScaledDecimal`), not as ``NUMERIC``: SQLite
has no decimal type and SQLAlchemy would pass such values through binary floats there.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin

RATE_PLACES = 10


def canonical(value: Decimal) -> Decimal:
    """``value`` without trailing zeros or an exponent: 94.9600000000 -> 94.96, 1E+2 -> 100."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal with at most ``places`` decimal places, stored as ``value * 10**places`` in
    a BIGINT, so that both SQLite and PostgreSQL keep it exactly. A value with more places is
    refused (`ValueError`) rather than rounded behind the caller's back."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int = RATE_PLACES) -> None:
        super().__init__()
        self.places = places

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"expected a Decimal, got {type(value).__name__}")
        scaled = value.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return canonical(Decimal(int(value)).scaleb(-self.places))


class FxRate(IdMixin, Base):
    """One dated exchange rate: ``rate`` units of ``quote_currency`` per 1 ``base_currency``."""

    __tablename__ = "fx_rates"
    __table_args__ = (
        # Pair and date are unique together; the index also serves "latest on or before".
        UniqueConstraint("base_currency", "quote_currency", "as_of"),
        CheckConstraint("rate > 0", name="rate_positive"),
        CheckConstraint("base_currency <> quote_currency", name="distinct_currencies"),
    )

    base_currency: Mapped[str] = mapped_column(String(3))
    quote_currency: Mapped[str] = mapped_column(String(3))
    as_of: Mapped[date]
    rate: Mapped[Decimal] = mapped_column(ScaledDecimal(RATE_PLACES))
    source: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
