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

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog import jewellery as catalog_jewellery
from haat.catalog.models import Metal
from haat.commerce import cart
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.pricing import repository
from haat.pricing.jewellery import at_rate
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
    return await repository.in_force(session, metal, utcnow().date())


async def reprice_metal(session: AsyncSession, metal: Metal) -> Repriced:
    """Price every jewellery product of ``metal`` (archived ones excepted) at the rate in
    force today, where its stored pricing came from another rate (value, date or source),
    and move the open cart lines of those products to the new price.

    Bulk: one SELECT, then UPDATEs by primary key in batches of 1,000 (stored through
    `haat.catalog.jewellery`) and one UPDATE of the cart lines per 1,000 products
    (`haat.commerce.cart.follow_prices`). Returns the counts; does nothing when the metal
    has no rate. Flushes first, never commits.
    """
    await core_repository.flush(session)
    rate = await current_rate(session, metal)
    if rate is None:
        return Repriced(metal, 0, 0)
    stale = await catalog_jewellery.stale_specs(
        session, metal, rate.rate_minor_per_g, rate.as_of, rate.source
    )
    await catalog_jewellery.store_prices(
        session, [(product_id, at_rate(spec, rate)) for product_id, spec in stale]
    )
    product_ids = [product_id for product_id, _ in stale]
    lines = await _follow_in_carts(session, product_ids) if product_ids else 0
    return Repriced(metal, len(product_ids), lines)


async def _follow_in_carts(session: AsyncSession, product_ids: list[uuid.UUID]) -> int:
    """Set the seen price of the cart lines of ``product_ids`` to the products' price."""
    changed = 0
    for start in range(0, len(product_ids), _BATCH):
        changed += await cart.follow_prices(session, product_ids[start : start + _BATCH], CURRENCY)
    return changed
