"""What the demo's content functions hand the loader: craft clusters and product specs, and
the status a product is shown in (a stable hash of its SKU, following `STATUS_MIX`)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

AttributeValue = str | int | float | bool

STATUSES = ("draft", "pending_approval", "approved", "rejected", "unpublished", "archived")
# Share of products per status, in percent; sums to 100.
STATUS_MIX: tuple[tuple[str, int], ...] = (
    ("approved", 70),
    ("pending_approval", 10),
    ("draft", 8),
    ("rejected", 5),
    ("unpublished", 4),
    ("archived", 3),
)


@dataclass(frozen=True)
class ClusterRow:
    """One artisan craft cluster from `craft_clusters.csv`; coordinates in decimal degrees."""

    name: str
    town: str
    state: str
    craft: str
    category: str
    materials: list[str]
    gi_tag: bool
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ProductSpec:
    """A demo product, ready to be created in a business's catalogue.

    `price_minor` is in minor units of `currency` (paise for INR, cents for USD). `attributes` is
    flat: str -> str | int | float | bool. `status_hint` is one of `STATUSES`; `rejection_reason`
    is set only when it is "rejected".
    """

    title: str
    description: str
    category: str
    subcategory: str
    price_minor: int
    currency: str
    sku: str
    stock_quantity: int
    attributes: dict[str, AttributeValue]
    status_hint: str
    rejection_reason: str | None = None


def status_for(key: str, reasons: tuple[str, ...]) -> tuple[str, str | None]:
    """Status hint from a stable hash of `key`, following STATUS_MIX; a reason if rejected."""
    bucket = zlib.crc32(key.encode()) % 100
    status = STATUS_MIX[0][0]
    for candidate, share in STATUS_MIX:
        if bucket < share:
            status = candidate
            break
        bucket -= share
    if status != "rejected":
        return status, None
    return status, reasons[zlib.crc32(f"{key}:reason".encode()) % len(reasons)]
