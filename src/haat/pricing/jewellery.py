"""Jewellery priced from the metal rate: the arithmetic, the fineness rules and the spec.

A jewellery product's price (``price_minor``, GST excluded as for every catalogue price) is

    metal value   = rate (paise per gram of fine metal) x gross weight (g) x purity / 1000
    making charge = metal value x making_charge_bp / 10,000      (a percentage), or
                    making_charge_per_g_minor x gross weight (g)  (per gram)
    price         = metal value + making charge
    GST           = price x 3 %
    total         = price + GST

all in integer paise. Rounding rule: each line is rounded once, half up, to the paisa, from
the exact rational value (weights are integer milligrams, so nothing is ever a float); the
percentage making charge is taken of the rounded metal value and GST of the rounded price,
so every line of the breakdown follows from the lines printed above it.

GST: 3 % on articles of jewellery of precious metal (HSN 7113), CGST 1.5 % + SGST 1.5 % or
IGST 3 %, under Notification No. 1/2017-Central Tax (Rate) of 28 June 2017, Schedule V, and
No. 1/2017-Integrated Tax (Rate), unchanged by the rate rationalisation after the 56th GST
Council meeting (3 Sep 2025). A jeweller's making charge billed with the piece is part of the
value of that supply of goods, so the 3 % applies to metal value plus making charge.

Fineness (parts per thousand) follows the BIS hallmarking grades: gold IS 1417 (999 24K,
916 22K, 750 18K, 585 14K), silver IS 2112 (999, 925 sterling), platinum 950.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import Business, BusinessKind, BusinessRole
from haat.businesses.service import require_role
from haat.catalog import categories
from haat.catalog import jewellery as catalog_jewellery
from haat.catalog.jewellery import JewelleryPrice, JewellerySpec
from haat.catalog.models import Metal, Product, ProductJewellery
from haat.catalog.service import get_product, load_for_edit
from haat.commerce.tax import line_tax
from haat.core.db import utcnow
from haat.core.errors import Conflict
from haat.identity.actor import Actor
from haat.pricing import repository
from haat.pricing.models import CURRENCY, MetalRate

JEWELLERY_GST_BP = 300
PURITIES: dict[Metal, tuple[int, ...]] = {
    Metal.GOLD: (999, 916, 750, 585),
    Metal.SILVER: (999, 925),
    Metal.PLATINUM: (950,),
}
# The slug of the catalogue's root category of jewellery (the demo's "Jewellery" tree).
JEWELLERY_CATEGORY_SLUG = "jewellery"


class NoMetalRate(Conflict):
    code, title = "no_metal_rate", "No rate has been entered for this metal"


class NotInRupees(Conflict):
    code, title = "jewellery_not_in_inr", "Jewellery is priced in INR from the metal rate"


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Breakdown:
    """A price in paise: ``metal_value + making_charge = subtotal``; ``+ gst = total``."""

    metal_value_minor: int
    making_charge_minor: int
    gst_rate_bp: int
    gst_minor: int

    @property
    def subtotal_minor(self) -> int:
        return self.metal_value_minor + self.making_charge_minor

    @property
    def total_minor(self) -> int:
        return self.subtotal_minor + self.gst_minor


def price(
    rate_minor_per_g: int,
    weight_mg: int,
    purity: int,
    *,
    making_charge_bp: int | None = None,
    making_charge_per_g_minor: int | None = None,
) -> Breakdown:
    """The price of one piece: ``rate_minor_per_g`` paise per gram of fine metal, gross
    ``weight_mg`` milligrams of ``purity`` parts per thousand, and exactly one making charge
    (basis points of the metal value, or paise per gram of gross weight). Raises
    `ValueError` when both or neither making charge is given. See the module text for the
    formula, the rounding rule and the GST rate's source."""
    if (making_charge_bp is None) == (making_charge_per_g_minor is None):
        raise ValueError("give exactly one of making_charge_bp and making_charge_per_g_minor")
    metal_value = half_up(rate_minor_per_g * weight_mg * purity, 1000 * 1000)
    if making_charge_bp is not None:
        making = half_up(metal_value * making_charge_bp, 10_000)
    else:
        assert making_charge_per_g_minor is not None
        making = half_up(making_charge_per_g_minor * weight_mg, 1000)
    gst = line_tax(metal_value + making, JEWELLERY_GST_BP)
    return Breakdown(metal_value, making, JEWELLERY_GST_BP, gst)


def at_rate(spec: JewellerySpec, rate: MetalRate) -> JewelleryPrice:
    """The price of a piece of ``spec`` at ``rate``, with the rate it came from."""
    result = price(
        rate.rate_minor_per_g,
        spec.weight_mg,
        spec.purity,
        making_charge_bp=spec.making_charge_bp,
        making_charge_per_g_minor=spec.making_charge_per_g_minor,
    )
    return JewelleryPrice(
        rate_minor_per_g=rate.rate_minor_per_g,
        rate_as_of=rate.as_of,
        rate_source=rate.source,
        metal_value_minor=result.metal_value_minor,
        making_charge_minor=result.making_charge_minor,
        gst_rate_bp=result.gst_rate_bp,
        gst_minor=result.gst_minor,
    )


def apply_rate(row: ProductJewellery, rate: MetalRate) -> Breakdown:
    """Price ``row`` at ``rate`` and store the breakdown and the rate on it (not the
    product's ``price_minor``, which the caller sets to the returned ``subtotal_minor``)."""
    priced = at_rate(catalog_jewellery.spec_of(row), rate)
    catalog_jewellery.write_price(row, priced, utcnow())
    return Breakdown(
        priced.metal_value_minor, priced.making_charge_minor, priced.gst_rate_bp, priced.gst_minor
    )


async def latest_rate(session: AsyncSession, metal: Metal, on: date | None = None) -> MetalRate:
    """The rate of ``metal`` in force on ``on`` (default today, UTC): the latest dated on or
    before it. Raises `NoMetalRate` (409) when there is none."""
    day = on or utcnow().date()
    rate = await repository.in_force(session, metal, day)
    if rate is None:
        raise NoMetalRate(
            f"No {metal.value} rate dated on or before {day} has been entered; a platform "
            "admin enters one (POST /api/metal-rates) or imports a CSV first.",
            metal=metal.value,
        )
    return rate


async def product_with_jewellery(
    session: AsyncSession, actor: Actor, product_id: uuid.UUID
) -> Product:
    """The product for its business's members (any role) and platform admins, loaded for
    display. 404 when the actor may not read it, 401 anonymous, 403 for other readers."""
    product = await get_product(session, actor, product_id)
    await require_role(session, actor, product.business_id, set(BusinessRole))
    return product


async def pricing_offered(session: AsyncSession, product: Product, business: Business) -> bool:
    """Whether the seller portal offers to price ``product`` (of ``business``, loaded with
    its ``jewellery``) from the metal rate: it already is, its business is a jewellery shop,
    or it sits in the Jewellery category or one below it. Says nothing of who may do it
    (`set_jewellery` decides that)."""
    if product.jewellery is not None or business.kind == BusinessKind.JEWELLERY_SHOP:
        return True
    if product.category_id is None:
        return False
    return await categories.in_subtree(session, product.category_id, JEWELLERY_CATEGORY_SLUG)


async def set_jewellery(
    session: AsyncSession, actor: Actor, product_id: uuid.UUID, spec: JewellerySpec
) -> Product:
    """Make the product jewellery priced from the latest rate of ``spec.metal`` (or change
    its spec), and set its ``price_minor`` to the new subtotal (business editors and admins).

    A change sends an approved product back to approval where the business requires it, as
    any price edit does; buyers' carts then show the line as changed until they review it.
    Raises 401/403/404 as product edits do, 409 `ProductArchived`, `NotInRupees` (the
    product's currency is not INR) or `NoMetalRate`.
    """
    product = await load_for_edit(session, actor, product_id)
    if product.currency != CURRENCY:
        raise NotInRupees(
            f"The product is priced in {product.currency}; metal rates are in INR. Change "
            "its currency to INR first."
        )
    rate = await latest_rate(session, spec.metal)
    await catalog_jewellery.set_spec(session, actor, product, spec, at_rate(spec, rate))
    return await get_product(session, actor, product_id)


async def remove_jewellery(session: AsyncSession, actor: Actor, product_id: uuid.UUID) -> None:
    """Stop pricing the product from the metal rate (editors and admins); it keeps its last
    price as a fixed one. Idempotent; raises as `set_jewellery` does for access."""
    await catalog_jewellery.remove_spec(session, actor, product_id)
