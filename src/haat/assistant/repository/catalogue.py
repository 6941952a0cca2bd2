"""The assistant's reads of other domains' tables: approved products (by id, by full-text
search with a price range, newest in a price range) and the caller's own orders. Nothing here
reads a product that is not approved or an order of anyone but the given buyer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.assistant.intent import Intent
from haat.businesses.models import Business
from haat.catalog import search
from haat.catalog.models import LOAD_FOR_DISPLAY, Product, ProductStatus
from haat.commerce.models import Order
from haat.core import repository


def _public() -> Select[Any]:
    return select(Product).where(Product.status == ProductStatus.APPROVED)


def _bounded(stmt: Select[Any], intent: Intent) -> Select[Any]:
    """Products in the bound's currency within the range, and every product in another
    currency (the caller compares those after converting their price)."""
    if intent.currency is None or (intent.min_price is None and intent.max_price is None):
        return stmt
    conditions = [Product.currency == intent.currency]
    if intent.min_price is not None:
        conditions.append(Product.price_minor >= intent.min_price)
    if intent.max_price is not None:
        conditions.append(Product.price_minor <= intent.max_price)
    return stmt.where(or_(Product.currency != intent.currency, and_(*conditions)))


async def approved_products(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Product]:
    """Those of ``ids`` that are approved, loaded for display, in no particular order."""
    rows = await session.scalars(
        _public().where(Product.id.in_(list(ids))).options(*LOAD_FOR_DISPLAY)
    )
    return list(rows.unique())


async def matching(
    session: AsyncSession, intent: Intent, *, match_any: bool, bounded: bool, limit: int
) -> list[Product]:
    """At most ``limit`` approved products matching every word group of ``intent`` (any
    group with ``match_any``), best full-text rank first; with ``bounded``, narrowed by its
    price range as `_bounded` says. None when the question has no searchable word."""
    stmt = _bounded(_public(), intent) if bounded else _public()
    dialect = repository.dialect(session)
    stmt, rank = search.apply_groups(stmt, dialect, intent.groups, match_any=match_any)
    if rank is None:
        return []
    stmt = stmt.order_by(rank.desc(), Product.id).limit(limit).options(*LOAD_FOR_DISPLAY)
    return list((await session.scalars(stmt)).unique())


async def newest_in_range(session: AsyncSession, intent: Intent, limit: int) -> list[Product]:
    """At most ``limit`` approved products narrowed by ``intent``'s price range (`_bounded`),
    the most recently published first."""
    stmt = (
        _bounded(_public(), intent)
        .order_by(Product.published_at.desc(), Product.id)
        .limit(limit)
        .options(*LOAD_FOR_DISPLAY)
    )
    return list((await session.scalars(stmt)).unique())


async def buyers_order(
    session: AsyncSession, buyer_id: uuid.UUID, number: str | None
) -> tuple[Order, str] | None:
    """The buyer's order ``number`` (their latest when None) with its seller's name, or None
    (an order of another buyer is as absent as one that does not exist)."""
    stmt = (
        select(Order, Business.name)
        .join(Business, Business.id == Order.business_id)
        .where(Order.buyer_id == buyer_id)
    )
    if number is not None:
        stmt = stmt.where(Order.number == number)
    else:
        stmt = stmt.order_by(Order.created_at.desc(), Order.id.desc())
    row = (await session.execute(stmt.limit(1))).first()
    if row is None:
        return None
    order, seller = row
    return order, seller
