"""GST on cart lines and order items.

Prices in the catalogue exclude GST; tax is added per line: ``round_half_up(subtotal x rate)``
with the rate in basis points. The rate of a product is the `TaxRate` of its category or of
the nearest ancestor that has one, else `DEFAULT_RATE_BP`; jewellery priced from a metal rate
carries the rate its price breakdown shows (3 %, HSN 7113; `haat.pricing.jewellery`), whatever
its category.

Rates (indicative; a business must check the HSN code of each item): CBIC GST rate schedule
for goods, Notification 1/2017-Central Tax (Rate) as amended after the GST Council's 56th
meeting (3 Sep 2025): handicrafts and textiles 5 %, articles of jewellery of precious metal
3 % (HSN 7113), cut and polished diamonds 0.25 % (HSN 7102); 18 % is the standard rate.
"""

from __future__ import annotations

import uuid
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Category
from haat.commerce.models import TaxRate
from haat.commerce.repository import tax_rates as repository
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import NotFound
from haat.identity.actor import Actor

DEFAULT_RATE_BP = 1800
SOURCE = (
    "CBIC GST rate schedule for goods, Notification 1/2017-Central Tax (Rate) as amended "
    "after the 56th GST Council meeting (3 Sep 2025); indicative"
)
# Demo seed by category slug: (rate in basis points, what it covers).
DEMO_RATES: dict[str, int] = {
    "textiles": 500,
    "pottery": 500,
    "metalware": 500,
    "toys": 500,
    "paintings": 500,
    "woodcraft": 500,
    "leather": 500,
    "decor": 500,
    "glassware": 500,
    "basketry": 500,
    "jewellery": 300,
    "jewellery-loose-diamonds": 25,
}


def line_tax(subtotal_minor: int, rate_bp: int) -> int:
    """GST on a line, in minor units, rounded half up (``rate_bp`` 500 = 5 %)."""
    return (subtotal_minor * rate_bp + 5_000) // 10_000


class Taxable(Protocol):
    """What the GST rate depends on: a `Product`, or a row with these columns."""

    @property
    def category_id(self) -> uuid.UUID | None: ...
    @property
    def jewellery_gst_rate_bp(self) -> int | None: ...


class TaxTable:
    """The rates of every category, resolved through the category tree."""

    def __init__(self, parents: dict[uuid.UUID, uuid.UUID | None], rates: dict[uuid.UUID, int]):
        self.parents = parents
        self.rates = rates

    @classmethod
    async def load(cls, session: AsyncSession) -> TaxTable:
        """Every category with its parent and rate, in one query with no ORM work."""
        parents: dict[uuid.UUID, uuid.UUID | None] = {}
        rates: dict[uuid.UUID, int] = {}
        for category_id, parent_id, rate_bp in await repository.category_tree(session):
            parents[category_id] = parent_id
            if rate_bp is not None:
                rates[category_id] = rate_bp
        return cls(parents, rates)

    def rate_for(self, product: Taxable) -> int:
        """The GST rate of ``product`` in basis points: its jewellery pricing's rate, else
        its category's (for a `Product`, ``jewellery`` must be loaded)."""
        if product.jewellery_gst_rate_bp is not None:
            return product.jewellery_gst_rate_bp
        return self.rate_bp(product.category_id)

    def rate_bp(self, category_id: uuid.UUID | None) -> int:
        """The rate of ``category_id`` or of its nearest ancestor that has one, else
        `DEFAULT_RATE_BP` (basis points)."""
        seen: set[uuid.UUID] = set()
        while category_id is not None and category_id not in seen:
            if category_id in self.rates:
                return self.rates[category_id]
            seen.add(category_id)
            category_id = self.parents.get(category_id)
        return DEFAULT_RATE_BP


async def list_rates(session: AsyncSession) -> list[tuple[TaxRate, Category]]:
    """Every configured rate with its category, by category slug (public)."""
    return await repository.rates_with_categories(session)


async def set_rate(
    session: AsyncSession, actor: Actor, category_id: uuid.UUID, rate_bp: int, source: str
) -> tuple[TaxRate, Category]:
    """Set the GST rate of a category and its sub-categories that have none of their own
    (platform admins). ``rate_bp`` in basis points (0-10,000); ``source`` cites the notification
    it comes from. Applies to carts at once and to checkouts from now on; orders keep the rate
    they were placed with. Raises 401/403, and 404 for an unknown category."""
    actor.require_platform_admin()
    category = await repository.category(session, category_id)
    if category is None:
        raise NotFound("No such category")
    rate = await repository.rate_of(session, category_id)
    if rate is None:
        rate = TaxRate(category_id=category_id, rate_bp=rate_bp, source=source)
        await core_repository.add(session, rate)
    else:
        rate.rate_bp, rate.source, rate.updated_at = rate_bp, source, utcnow()
        await core_repository.flush(session)
    return rate, category


async def remove_rate(session: AsyncSession, actor: Actor, category_id: uuid.UUID) -> None:
    """Drop a category's own rate (platform admins): it then takes its parent's, or the
    standard rate. Idempotent."""
    actor.require_platform_admin()
    await repository.delete_rate(session, category_id)


async def seed_demo_rates(session: AsyncSession) -> int:
    """Give the demo's categories their GST rates (idempotent). Returns rows added."""
    added = 0
    for slug, rate in DEMO_RATES.items():
        category = await repository.category_by_slug(session, slug)
        if category is None or await repository.has_rate(session, category.id):
            continue
        await core_repository.add(
            session, TaxRate(category_id=category.id, rate_bp=rate, source=SOURCE), flush=False
        )
        added += 1
    await core_repository.flush(session)
    return added
