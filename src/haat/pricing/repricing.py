"""Re-pricing on a rate change: every jewellery product of the metal, and the open carts.

Runs in the transaction that changed the rate, so a rate, the prices computed from it and the
carts showing them are committed together (or not at all).

Carts: a cart line keeps the price the buyer saw (``seen_price_minor``), and checkout refuses a
line whose seen price differs from the product's (409 ``price_changed``). A jewellery price
that moved only because the metal rate moved is not the seller changing the deal: jewellers
sell at the rate of the day. So the open cart lines of the re-priced products take the new
price in the same transaction (the cart shows it, with the new GST, the next time it is read)
and checkout goes through at that price instead of failing for every buyer after each rate
update. A seller's own change of a piece's spec is not covered: those lines still stop at
checkout until the buyer has seen the new price.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Metal, Product, ProductJewellery, ProductStatus
from haat.commerce import cart
from haat.core.db import utcnow
from haat.pricing.jewellery import price
from haat.pricing.models import CURRENCY, MetalRate

_BATCH = 1000


@dataclass(frozen=True)
class Repriced:
    """How many products took a new price and how many cart lines followed them."""

    metal: Metal
    products: int
    cart_lines: int


async def current_rate(session: AsyncSession, metal: Metal) -> MetalRate | None:
    """The rate of ``metal`` in force today (UTC), or None."""
    return await session.scalar(
        select(MetalRate)
        .where(MetalRate.metal == metal, MetalRate.as_of <= utcnow().date())
        .order_by(MetalRate.as_of.desc())
        .limit(1)
    )


async def reprice_metal(session: AsyncSession, metal: Metal) -> Repriced:
    """Price every jewellery product of ``metal`` (archived ones excepted) at the rate in
    force today, where its stored pricing came from another rate (value, date or source),
    and move the open cart lines of those products to the new price.

    Bulk: one SELECT, then UPDATEs by primary key in batches of 1,000 and one UPDATE of the
    cart lines. Returns the counts; does nothing when the metal has no rate. Flushes first,
    never commits.
    """
    await session.flush()
    rate = await current_rate(session, metal)
    if rate is None:
        return Repriced(metal, 0, 0)
    stale = (
        select(ProductJewellery)
        .join(Product, Product.id == ProductJewellery.product_id)
        .where(
            ProductJewellery.metal == metal,
            Product.status != ProductStatus.ARCHIVED,
            (ProductJewellery.rate_minor_per_g != rate.rate_minor_per_g)
            | (ProductJewellery.rate_as_of != rate.as_of)
            | (ProductJewellery.rate_source != rate.source),
        )
        .execution_options(populate_existing=True)
    )
    rows = list(await session.scalars(stale))
    now = utcnow()
    priced: list[dict[str, Any]] = []
    prices: list[dict[str, Any]] = []
    for row in rows:
        result = price(
            rate.rate_minor_per_g,
            row.weight_mg,
            row.purity,
            making_charge_bp=row.making_charge_bp,
            making_charge_per_g_minor=row.making_charge_per_g_minor,
        )
        priced.append(
            {
                "product_id": row.product_id,
                "rate_minor_per_g": rate.rate_minor_per_g,
                "rate_as_of": rate.as_of,
                "rate_source": rate.source,
                "metal_value_minor": result.metal_value_minor,
                "making_charge_minor": result.making_charge_minor,
                "gst_rate_bp": result.gst_rate_bp,
                "gst_minor": result.gst_minor,
                "priced_at": now,
            }
        )
        prices.append({"id": row.product_id, "price_minor": result.subtotal_minor})
    for start in range(0, len(rows), _BATCH):
        await session.execute(update(ProductJewellery), priced[start : start + _BATCH])
        await session.execute(update(Product), prices[start : start + _BATCH])
    lines = await _follow_in_carts(session, [row.product_id for row in rows]) if rows else 0
    return Repriced(metal, len(rows), lines)


async def _follow_in_carts(session: AsyncSession, product_ids: list[uuid.UUID]) -> int:
    """Set the seen price of the cart lines of ``product_ids`` to the products' price."""
    changed = 0
    for start in range(0, len(product_ids), _BATCH):
        changed += await cart.follow_prices(session, product_ids[start : start + _BATCH], CURRENCY)
    return changed
