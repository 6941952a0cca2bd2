"""Metal rates: list (public), create / change / delete (platform admins), each write
re-pricing the metal's jewellery and carts in the same transaction (`repricing`)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog import jewellery as catalog_jewellery
from haat.catalog.models import Metal
from haat.core import repository as core_repository
from haat.core.errors import Conflict, NotFound
from haat.core.pagination import PageParams
from haat.identity.actor import Actor
from haat.pricing import repository
from haat.pricing.models import MetalRate
from haat.pricing.repricing import Repriced, current_rate, reprice_metal
from haat.pricing.schemas import MetalRateCreate, MetalRateUpdate


class RateExists(Conflict):
    code, title = "metal_rate_exists", "This metal already has a rate on this date"


class LastRateInUse(Conflict):
    code, title = "metal_rate_in_use", "Jewellery is priced from this metal's only rate"


async def list_rates(
    session: AsyncSession,
    paging: PageParams,
    metal: Metal | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[list[MetalRate], int]:
    """One page of rates (public), newest first; ``(rows, total)`` for `Page.of`."""
    return await repository.page_of_rates(session, paging, metal, date_from, date_to)


async def get_rate(session: AsyncSession, rate_id: uuid.UUID) -> MetalRate:
    """The rate with this id; `NotFound` (404) otherwise."""
    rate = await repository.get(session, rate_id)
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
        async with core_repository.savepoint(session):
            await repository.add(session, rate)
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
    await repository.delete(session, rate)
    no_rate_left = await current_rate(session, metal) is None
    if no_rate_left and await catalog_jewellery.any_priced_from(session, metal):
        raise LastRateInUse(
            f"Jewellery is priced from the only {metal.value} rate in force; enter the "
            "right rate (or correct this one) instead of deleting it.",
            metal=metal.value,
        )
    return await reprice_metal(session, metal)
