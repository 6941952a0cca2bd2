"""Request and response models of `/api/fx-rates`.

Rates travel as decimal strings (``"83.4512"``) so that no client has to parse them as
binary floats; a JSON number is accepted on input and read exactly.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from haat.core.db import utcnow
from haat.fx.models import RATE_PLACES, canonical
from haat.identity.schemas import Currency

MAX_DAYS_AHEAD = 7
EARLIEST = date(1900, 1, 1)


def _not_far_future(value: date) -> date:
    if value > utcnow().date() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValueError(f"as_of may be at most {MAX_DAYS_AHEAD} days after today (UTC)")
    if value < EARLIEST:
        raise ValueError(f"as_of may not be before {EARLIEST}")
    return value


# On the wire: a decimal string without trailing zeros or exponent ("94.96", "100").
RateText = Annotated[Decimal, PlainSerializer(lambda d: format(canonical(d), "f"), return_type=str)]

# What fits the BIGINT column at 10 decimal places (about 9.2e8 units per base unit).
MAX_RATE = Decimal("900000000")
Rate = Annotated[
    Decimal,
    Field(
        gt=0,
        le=MAX_RATE,
        decimal_places=RATE_PLACES,
        description="units of the quote currency per 1 unit of the base currency",
        examples=["83.4512"],
    ),
]


class FxRateCreate(BaseModel):
    """A dated rate: from ``as_of`` on, 1 ``base`` buys ``rate`` ``quote``."""

    base: Currency
    quote: Currency
    rate: Rate
    as_of: Annotated[date, AfterValidator(_not_far_future)] = Field(
        description="the first day the rate applies (at most a week after today)"
    )
    source: str = Field("manual", min_length=1, max_length=200, examples=["RBI reference rate"])

    @model_validator(mode="after")
    def _distinct(self) -> FxRateCreate:
        if self.base == self.quote:
            raise ValueError("base and quote must be different currencies")
        return self


class FxRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    base: str = Field(validation_alias="base_currency")
    quote: str = Field(validation_alias="quote_currency")
    rate: RateText
    as_of: date
    source: str


class ConversionOut(BaseModel):
    """A converted amount and exactly which rate, of which date, produced it."""

    amount_minor: int = Field(description="the amount given, in minor units of `from`")
    from_currency: str
    converted_minor: int = Field(description="the amount in minor units of `to`, half-even")
    to_currency: str
    rate: RateText = Field(description="units of `to` per 1 unit of `from` that was applied")
    as_of: date = Field(description="date of the oldest rate used")
    requested_on: date = Field(description="the date the conversion was asked for")
    via: str | None = Field(None, description="the currency crossed through, e.g. USD")
    rates: list[FxRateOut] = Field(description="the stored rates the rate was derived from")


class DisplayPrice(BaseModel):
    """An amount shown in the viewer's currency for information only: approximate, never
    charged. The amount of record is the original price and currency beside it."""

    currency: str = Field(description="the viewer's display currency")
    converted: bool = Field(
        description="false when no exchange rate is stored: show the original price only"
    )
    approximate: Literal[True] = Field(
        default=True, description="always true: display only, never charged"
    )
    amount_minor: int | None = Field(
        default=None, description="the converted amount in minor units of `currency` (half-even)"
    )
    rate: RateText | None = Field(
        default=None, description="units of `currency` per 1 unit of the original currency"
    )
    rate_as_of: date | None = Field(default=None, description="date of the (oldest) rate used")
    via: str | None = Field(default=None, description="the currency crossed through, e.g. USD")


# The viewer's currency on every endpoint that shows prices (`haat.fx.display`).
DisplayCurrency = Annotated[
    Currency | None,
    Query(
        description="ISO 4217 code to show approximate prices in, beside the original ones "
        "(default: the signed-in user's currency)",
        examples=["EUR"],
    ),
]
