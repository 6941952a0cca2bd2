"""Metal rates: list (public), create / change / delete (platform admins), each write
re-pricing the metal's jewellery and carts in the same transaction (`repricing`)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Metal, ProductJewellery
from haat.core.errors import Conflict, NotFound
from haat.core.pagination import PageParams
from haat.core.repository import paginate
from haat.identity.actor import Actor
from haat.pricing.models import MetalRate
from haat.pricing.repricing import Repriced, current_rate, reprice_metal
from haat.pricing.schemas import MetalRateCreate, MetalRateUpdate


class RateExists(Conflict):
    code, title = "metal_rate_exists", "This metal already has a rate on this date"


class LastRateInUse(Conflict):
    code, title = "metal_rate_in_use", "Jewellery is priced from this metal's only rate"


def rates_query(
    metal: Metal | None, date_from: date | None, date_to: date | None
) -> Select[MetalRate]:
    """Rates of one metal (or all), dated within ``[date_from, date_to]``, newest first."""
    stmt = select(MetalRate)
    if metal is not None:
        stmt = stmt.where(MetalRate.metal == metal)
    if date_from is not None:
        stmt = stmt.where(MetalRate.as_of >= date_from)
    if date_to is not None:
        stmt = stmt.where(MetalRate.as_of <= date_to)
    return stmt.order_by(MetalRate.as_of.desc(), MetalRate.metal)


async def list_rates(
    session: AsyncSession,
    paging: PageParams,
    metal: Metal | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[MetalRate], int]:
    """One page of rates (public), newest first; ``(rows, total)`` for `Page.of`."""
    return await paginate(session, rates_query(metal, date_from, date_to), paging)


async def get_rate(session: AsyncSession, rate_id: uuid.UUID) -> MetalRate:
    rate = await session.get(MetalRate, rate_id)
    if rate is None:
        raise NotFound("No such metal rate")
    return rate


async def create_rate(
    session: AsyncSession, actor: Actor, data: MetalRateCreate
) -> tuple[MetalRate, Repriced]:
    """Store a dated rate (platform admins: 401 / 403 otherwise) and re-price the metal's
    jewellery if it is now the rate in force. 409 `RateExists` for a second rate of the
    same metal and date (change that one instead)."""
    user_id = actor.require_platform_admin()
    rate = MetalRate(
        metal=data.metal,
        as_of=data.as_of,
        rate_minor_per_g=data.rate_minor_per_g,
        source=data.source,
        created_by=user_id,
    )
    try:
        async with session.begin_nested():
            session.add(rate)
    except IntegrityError:
        raise RateExists(
            f"A {data.metal.value} rate dated {data.as_of} already exists.",
            metal=data.metal.value,
            as_of=data.as_of.isoformat(),
        ) from None
    return rate, await reprice_metal(session, data.metal)


async def update_rate(
    session: AsyncSession, actor: Actor, rate_id: uuid.UUID, data: MetalRateUpdate
) -> tuple[MetalRate, Repriced]:
    """Correct a rate's value and/or source (platform admins); the metal's jewellery is
    re-priced when it was priced from this rate. 401 / 403 / 404."""
    actor.require_platform_admin()
    rate = await get_rate(session, rate_id)
    if data.rate_minor_per_g is not None:
        rate.rate_minor_per_g = data.rate_minor_per_g
    if data.source is not None:
        rate.source = data.source
    return rate, await reprice_metal(session, rate.metal)


async def delete_rate(session: AsyncSession, actor: Actor, rate_id: uuid.UUID) -> Repriced:
    """Delete a rate entered by mistake (platform admins); the metal's jewellery goes back to
    the rate in force without it. 409 `LastRateInUse` when it is the metal's only rate in
    force and jewellery is priced from it (enter the right rate first). 401 / 403 / 404."""
    actor.require_platform_admin()
    rate = await get_rate(session, rate_id)
    metal = rate.metal
    await session.delete(rate)
    await session.flush()
    if await current_rate(session, metal) is None:
        priced = await session.scalar(
            select(ProductJewellery.product_id).where(ProductJewellery.metal == metal).limit(1)
        )
        if priced is not None:
            raise LastRateInUse(
                f"Jewellery is priced from the only {metal.value} rate in force; enter the "
                "right rate (or correct this one) instead of deleting it.",
                metal=metal.value,
            )
    return await reprice_metal(session, metal)
