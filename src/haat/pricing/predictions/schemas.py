"""Request and response models of `/api/predictions` (gold, diamond, retrain, status)."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC, date, datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field, field_validator

from haat.pricing.predictions.diamonds import CLARITIES, COLORS, CUTS

GoldPurity = Literal[999, 916, 750, 585]
Cut = Literal["Fair", "Good", "Very Good", "Premium", "Ideal"]
Color = Literal["D", "E", "F", "G", "H", "I", "J", "K", "L", "M"]
Clarity = Literal["FL", "IF", "VVS1", "VVS2", "VS1", "VS2", "SI1", "SI2", "I1", "I2", "I3"]
if (get_args(Cut), get_args(Color), get_args(Clarity)) != (CUTS, COLORS, CLARITIES):
    raise ImportError("the grade scales of the schemas and of the diamond model differ")


class GoldPredictionIn(BaseModel):
    date: dt.date = Field(description="a day strictly after today (UTC); its month is predicted")
    weight_grams: float | None = Field(
        default=None, gt=0, le=100_000, description="grams of metal for `total`"
    )
    purity: GoldPurity = Field(
        default=999,
        description="parts per thousand: 999 (24K), 916 (22K), 750 (18K), 585 (14K)",
    )

    @field_validator("date")
    @classmethod
    def _future(cls, value: dt.date) -> dt.date:
        if value <= datetime.now(UTC).date():
            raise ValueError("date must be after today (UTC)")
        return value


class MoneyRange(BaseModel):
    """An 80 % prediction interval, in minor units of the response's currency."""

    low_minor: int
    high_minor: int
    coverage: float = Field(description="nominal share of outcomes inside the interval")


class ModelRef(BaseModel):
    name: str
    version: int
    trained_at: datetime
    data_start: date | None
    data_end: date | None


class GoldPredictionOut(BaseModel):
    target_month: str = Field(description="YYYY-MM, the month of `date`")
    horizon_months: int = Field(description="months after the last month of the model's data")
    currency: Literal["INR"] = "INR"
    purity: int
    price_per_gram_minor: int = Field(description="paise per gram at this purity")
    price_per_gram_interval: MoneyRange
    weight_grams: float | None
    total_minor: int | None = Field(description="paise for `weight_grams`, if given")
    total_interval: MoneyRange | None
    model: ModelRef
    basis: str


class DiamondPredictionIn(BaseModel):
    carat: float = Field(gt=0, le=10, description="weight in carats")
    cut: Cut
    color: Color = Field(description="GIA colour grade, D (colourless) to M")
    clarity: Clarity = Field(description="GIA clarity grade, FL (flawless) to I3")
    depth: float | None = Field(default=None, ge=40, le=80, description="total depth, %")
    table: float | None = Field(default=None, ge=40, le=100, description="table width, %")
    x: float | None = Field(default=None, gt=0, le=60, description="length, mm")
    y: float | None = Field(default=None, gt=0, le=60, description="width, mm")
    z: float | None = Field(default=None, gt=0, le=60, description="depth, mm")


class DiamondPredictionOut(BaseModel):
    currency: Literal["USD"] = "USD"
    price_minor: int = Field(description="cents")
    interval: MoneyRange
    features: dict[str, float] = Field(
        description="the model's inputs: measures, and the grades as ordinal ranks"
    )
    imputed: list[str] = Field(description="omitted measures filled in from the carat")
    warnings: list[str]
    model: ModelRef


class RetrainIn(BaseModel):
    model: Literal["gold", "diamond", "all"]


class RetrainOut(BaseModel):
    job_id: uuid.UUID
    status: str
    models: list[str]


class VersionOut(BaseModel):
    version: int
    status: str
    trained_at: datetime
    training_seconds: float
    data_start: date | None
    data_end: date | None
    n_rows: int
    metrics: dict[str, Any]
    comparison: dict[str, Any] | None


class ModelStatusOut(BaseModel):
    name: str
    description: str
    champion: VersionOut | None
    latest: VersionOut | None = Field(description="the newest version, whatever its status")
    loaded_version: int | None = Field(description="the version this server process holds")


class PredictionStatusOut(BaseModel):
    models: list[ModelStatusOut]
