"""Request and response models of `/api/products` and `/api/categories`."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from haat.catalog.models import Metal, ProductStatus
from haat.fx.schemas import DisplayPrice
from haat.identity.schemas import Currency
from haat.quality.schemas import PhotoQualityOut, PhotoQualitySummary

MAX_ATTRIBUTES = 50
AttributeValue = str | int | float | bool


def _attributes(value: dict[str, AttributeValue]) -> dict[str, AttributeValue]:
    if len(value) > MAX_ATTRIBUTES:
        raise ValueError(f"at most {MAX_ATTRIBUTES} attributes")
    for key, item in value.items():
        if not 1 <= len(key) <= 64:
            raise ValueError("attribute names are 1-64 characters")
        if isinstance(item, str) and len(item) > 500:
            raise ValueError(f"attribute {key!r} is longer than 500 characters")
    return value


Attributes = Annotated[dict[str, AttributeValue], AfterValidator(_attributes)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
PriceMinor = Annotated[
    int, Field(ge=0, le=10**13, description="price in minor units (paise, cents)")
]
Stock = Annotated[int, Field(ge=0, le=10**9)]


class ProductSort(enum.StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"


class CategoryCreate(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    parent_id: uuid.UUID | None = None
    position: int = Field(0, ge=0, le=10_000)


class CategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    slug: str
    position: int


class CategoryNode(CategoryOut):
    children: list[CategoryNode] = Field(default_factory=list)


class ProductCreate(BaseModel):
    business_id: uuid.UUID
    title: Title
    description: str = Field("", max_length=10_000)
    category_id: uuid.UUID | None = None
    price_minor: PriceMinor
    currency: Currency
    sku: Sku
    stock_quantity: Stock = 0
    attributes: Attributes = Field(default_factory=dict)


class ProductUpdate(BaseModel):
    title: Title | None = None
    description: str | None = Field(None, max_length=10_000)
    category_id: uuid.UUID | None = None
    price_minor: PriceMinor | None = None
    currency: Currency | None = None
    sku: Sku | None = None
    stock_quantity: Stock | None = None
    attributes: Attributes | None = None


class RejectIn(BaseModel):
    reason: str = Field(min_length=3, max_length=2000)


class BusinessSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    city: str
    country: str


class CategorySummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str


class ImageOut(BaseModel):
    id: uuid.UUID
    url: str
    thumbnail_url: str
    width: int
    height: int
    content_type: str
    alt_text: str
    quality: PhotoQualityOut | None = Field(
        None, description="the photo's grade; only for its business's members and platform admins"
    )


class JewelleryOut(BaseModel):
    """A jewellery product's spec and the breakdown of its price (`haat.pricing.jewellery`):
    ``metal_value_minor + making_charge_minor = subtotal_minor`` (the product's
    ``price_minor``, GST excluded), ``subtotal_minor + gst_minor = total_minor``. Paise."""

    metal: Metal
    purity: int = Field(description="fineness in parts per thousand (916 = 22 karat)")
    weight_mg: int = Field(description="gross weight of the metal in milligrams")
    weight_g: str = Field(description='the same in grams, e.g. "10.250"')
    making_charge_bp: int | None = Field(
        description="making charge in basis points of the metal value (1200 = 12 %)"
    )
    making_charge_per_g_minor: int | None = Field(
        description="making charge in paise per gram of gross weight"
    )
    currency: Literal["INR"] = "INR"
    rate_minor_per_g: int = Field(description="the metal rate used: paise per gram of fine metal")
    rate_as_of: date
    rate_source: str
    metal_value_minor: int = Field(description="rate x weight x purity / 1000, rounded half up")
    making_charge_minor: int
    subtotal_minor: int = Field(description="metal value + making charge: the price_minor")
    gst_rate_bp: int = Field(description="GST on jewellery, HSN 7113: 300 = 3 %")
    gst_minor: int
    total_minor: int = Field(description="subtotal + GST: what one piece costs the buyer")
    priced_at: datetime


class ProductOut(BaseModel):
    id: uuid.UUID
    business: BusinessSummary
    category: CategorySummary | None
    title: str
    description: str
    price_minor: int
    currency: str
    sku: str
    stock_quantity: int
    attributes: dict[str, Any]
    status: ProductStatus
    images: list[ImageOut]
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    display_price: DisplayPrice | None = Field(
        default=None,
        description="the price in the viewer's currency, approximate; null when none was "
        "asked for or it is the product's own currency",
    )
    jewellery: JewelleryOut | None = Field(
        default=None,
        description="for jewellery priced from the metal rate: the spec and price breakdown",
    )


class ProductAdminOut(ProductOut):
    rejection_reason: str | None
    photo_quality: PhotoQualitySummary | None = Field(
        None, description="grades of the photos at a glance; for staff only, as `quality`"
    )


class StatusChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    action: str
    from_status: ProductStatus | None
    to_status: ProductStatus
    actor_id: uuid.UUID | None
    reason: str | None
    created_at: datetime
