"""Request and response models of `/api/metal-rates`, `/api/products/{id}/jewellery` and
`/api/predictions/trends`. Rates are integer paise per gram of fine metal."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from haat.catalog.models import Metal
from haat.core.dates import IsoDate
from haat.core.db import utcnow
from haat.pricing.jewellery import PURITIES

EARLIEST = date(1900, 1, 1)
MAX_RATE_MINOR = 10**10  # ₹10 crore a gram: far above any metal, well inside BIGINT
MAX_WEIGHT_G = Decimal(100_000)


def not_in_future(value: date) -> date:
    """A rate applies from its date on: a future date would change prices silently later."""
    if value > utcnow().date():
        raise ValueError("as_of may not be after today (UTC)")
    if value < EARLIEST:
        raise ValueError(f"as_of may not be before {EARLIEST}")
    return value


RateMinor = Annotated[
    int,
    Field(
        gt=0,
        le=MAX_RATE_MINOR,
        description="paise (INR minor units) per gram of fine metal: 1290823 = ₹12,908.23/g",
        examples=[1290823],
    ),
]
Source = Annotated[str, Field(min_length=1, max_length=200, examples=["IBJA 999 rate, 11:30"])]


class MetalRateCreate(BaseModel):
    metal: Metal
    as_of: Annotated[IsoDate, AfterValidator(not_in_future)] = Field(
        description="the first day the rate applies (today or earlier)"
    )
    rate_minor_per_g: RateMinor
    source: Source = "manual"


class MetalRateUpdate(BaseModel):
    rate_minor_per_g: RateMinor | None = None
    source: Source | None = None


class MetalRateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    metal: Metal
    as_of: date
    rate_minor_per_g: int
    currency: Literal["INR"] = "INR"
    source: str
    created_at: datetime
    updated_at: datetime


class RepricedOut(BaseModel):
    metal: Metal
    products: int = Field(description="jewellery products that took a new price")
    cart_lines: int = Field(description="open cart lines moved to the new price")


class MetalRateWritten(BaseModel):
    rate: MetalRateOut
    repriced: RepricedOut


class ImportOut(BaseModel):
    created: int
    updated: int
    repriced: list[RepricedOut]


class JewelleryIn(BaseModel):
    """A piece's metal, fineness, gross weight and exactly one making charge."""

    metal: Metal
    purity: int = Field(
        description="parts per thousand: gold 999/916/750/585, silver 999/925, platinum 950"
    )
    weight_g: Decimal = Field(
        gt=0,
        le=MAX_WEIGHT_G,
        decimal_places=3,
        description='gross weight of the metal in grams, to the milligram ("10.250")',
        examples=["10.250"],
    )
    making_charge_bp: int | None = Field(
        None, ge=0, le=100_000, description="basis points of the metal value: 1200 = 12 %"
    )
    making_charge_per_g_minor: int | None = Field(
        None, ge=0, le=10**9, description="paise per gram of gross weight: 50000 = ₹500/g"
    )

    @field_validator("purity")
    @classmethod
    def _purity_of_metal(cls, value: int, info: ValidationInfo) -> int:
        metal = info.data.get("metal")
        if metal is None:  # the metal itself was invalid: reported on its own
            return value
        allowed = PURITIES[metal]
        if value not in allowed:
            names = ", ".join(str(p) for p in allowed)
            raise ValueError(f"purity of {metal.value} must be one of {names}")
        return value

    @model_validator(mode="after")
    def _one_making_charge(self) -> JewelleryIn:
        if (self.making_charge_bp is None) == (self.making_charge_per_g_minor is None):
            raise ValueError("give exactly one of making_charge_bp and making_charge_per_g_minor")
        return self

    @property
    def weight_mg(self) -> int:
        return int(self.weight_g * 1000)


class TrendPoint(BaseModel):
    as_of: date
    rate_minor_per_g: int


class TrendOut(BaseModel):
    """The rates of a metal in force during the last ``days`` days (paise per gram of fine
    metal): the one in force when the window opened, then every later one."""

    metal: Metal
    currency: Literal["INR"] = "INR"
    days: int
    window_from: date
    window_to: date
    points: list[TrendPoint]
    average_minor_per_g: int = Field(description="mean of the points, rounded half up")
    min_minor_per_g: int
    max_minor_per_g: int
    current_minor_per_g: int
    current_as_of: date
    change_minor_per_g: int = Field(description="current minus the rate at the window's start")
    change_percent: str = Field(description="change / start rate x 100, 2 places, half-even")
