"""Jewellery priced from a metal rate, as the catalogue stores it: a product's spec (metal,
fineness, weight, making charge) and the price breakdown last computed from it.

The rules (which rate, the arithmetic, which products a new rate re-prices) are
`haat.pricing`'s; it hands the computed prices here to be stored, with the product's
``price_minor`` (the breakdown's subtotal), since ``product_jewellery`` and ``products`` are
the catalogue's tables.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import get_business
from haat.catalog.models import Metal, Product, ProductJewellery
from haat.catalog.repository import jewellery as repository
from haat.catalog.service import load_for_edit, mark_revised
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.identity.actor import Actor


@dataclass(frozen=True)
class JewellerySpec:
    """What the seller states of a piece (validated by `haat.pricing.schemas.JewelleryIn`):
    weight in milligrams, purity in parts per thousand, and exactly one making charge (basis
    points of the metal value, or paise per gram of gross weight)."""

    metal: Metal
    purity: int
    weight_mg: int
    making_charge_bp: int | None
    making_charge_per_g_minor: int | None


@dataclass(frozen=True)
class JewelleryPrice:
    """A piece's price at one metal rate, in paise: the rate used (paise per gram of fine
    metal, its date and source) and the lines of the breakdown, GST apart."""

    rate_minor_per_g: int
    rate_as_of: date
    rate_source: str
    metal_value_minor: int
    making_charge_minor: int
    gst_rate_bp: int
    gst_minor: int

    @property
    def subtotal_minor(self) -> int:
        """The product's ``price_minor``: metal value plus making charge."""
        return self.metal_value_minor + self.making_charge_minor


def spec_of(row: ProductJewellery) -> JewellerySpec:
    """The spec stored on a jewellery row."""
    return JewellerySpec(
        row.metal, row.purity, row.weight_mg, row.making_charge_bp, row.making_charge_per_g_minor
    )


def write_price(row: ProductJewellery, price: JewelleryPrice, at: datetime) -> None:
    """Set ``price`` (computed ``at``) on a jewellery row, loaded or new; not the product's
    ``price_minor``."""
    row.rate_minor_per_g = price.rate_minor_per_g
    row.rate_as_of = price.rate_as_of
    row.rate_source = price.rate_source
    row.metal_value_minor = price.metal_value_minor
    row.making_charge_minor = price.making_charge_minor
    row.gst_rate_bp = price.gst_rate_bp
    row.gst_minor = price.gst_minor
    row.priced_at = at


async def set_spec(
    session: AsyncSession,
    actor: Actor,
    product: Product,
    spec: JewellerySpec,
    price: JewelleryPrice,
) -> None:
    """Store ``spec`` and its ``price`` for ``product`` (loaded for edit by
    `service.load_for_edit`) and set its ``price_minor`` to the subtotal.

    A change of spec or price is an edit of public content: an approved product goes back
    to approval where its business requires it (`service.mark_revised`). Flushes."""
    row = await repository.get(session, product.id)
    before = spec_of(row) if row is not None else None
    if row is None:
        row = ProductJewellery(product_id=product.id)
        await repository.add(session, row)
    row.metal, row.purity, row.weight_mg = spec.metal, spec.purity, spec.weight_mg
    row.making_charge_bp = spec.making_charge_bp
    row.making_charge_per_g_minor = spec.making_charge_per_g_minor
    write_price(row, price, utcnow())
    if before != spec or product.price_minor != price.subtotal_minor:
        product.price_minor = price.subtotal_minor
        product.updated_at = utcnow()
        await mark_revised(
            session, actor, product, await get_business(session, product.business_id)
        )
    await core_repository.flush(session)


async def remove_spec(session: AsyncSession, actor: Actor, product_id: uuid.UUID) -> None:
    """Stop pricing the product from the metal rate (its business's editors and admins); it
    keeps its last price as a fixed one. Idempotent; raises as `service.load_for_edit`."""
    await load_for_edit(session, actor, product_id)
    row = await repository.get(session, product_id)
    if row is not None:
        await repository.delete(session, row)


async def any_priced_from(session: AsyncSession, metal: Metal) -> bool:
    """Whether some product is priced from the rate of ``metal``."""
    return await repository.any_of_metal(session, metal)


async def stale_specs(
    session: AsyncSession, metal: Metal, rate_minor_per_g: int, as_of: date, source: str
) -> list[tuple[uuid.UUID, JewellerySpec]]:
    """``(product id, spec)`` of the jewellery of ``metal`` (archived products excepted)
    whose stored price came from another rate than ``(rate_minor_per_g, as_of, source)``."""
    rows = await repository.stale(session, metal, rate_minor_per_g, as_of, source)
    return [(row.product_id, spec_of(row)) for row in rows]


async def store_prices(
    session: AsyncSession, prices: list[tuple[uuid.UUID, JewelleryPrice]]
) -> None:
    """Store a batch of new prices ``(product id, price)`` on the products' jewellery rows
    and ``price_minor`` (bulk UPDATEs by primary key). Leaves the products' status alone: a
    re-pricing at a new rate is not an edit by the seller."""
    now = utcnow()
    pricing: list[dict[str, Any]] = []
    for product_id, price in prices:
        pricing.append(
            {
                "product_id": product_id,
                "rate_minor_per_g": price.rate_minor_per_g,
                "rate_as_of": price.rate_as_of,
                "rate_source": price.rate_source,
                "metal_value_minor": price.metal_value_minor,
                "making_charge_minor": price.making_charge_minor,
                "gst_rate_bp": price.gst_rate_bp,
                "gst_minor": price.gst_minor,
                "priced_at": now,
            }
        )
    products = [{"id": pid, "price_minor": price.subtotal_minor} for pid, price in prices]
    await repository.store_prices(session, pricing, products)
