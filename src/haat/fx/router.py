"""`/api/fx-rates`: dated exchange rates (public reads, admin writes) and conversions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from haat.core.dates import IsoDate
from haat.core.db import utcnow
from haat.core.deps import DbSession
from haat.core.errors import responses
from haat.core.pagination import Page, PageParams, page_params
from haat.fx import service
from haat.fx.schemas import ConversionOut, FxRateCreate, FxRateOut
from haat.identity.auth import AuthenticatedActor
from haat.identity.schemas import Currency

router = APIRouter(prefix="/api/fx-rates", tags=["fx"])
Paging = Annotated[PageParams, Depends(page_params)]


OnDate = Annotated[
    IsoDate | None,
    Query(alias="date", description="YYYY-MM-DD: the day the rate must be in force (UTC today)"),
]
AMOUNT_LIMIT = 10**15


@router.get("", response_model=Page[FxRateOut], responses=responses(422))
async def list_rates(
    session: DbSession,
    paging: Paging,
    base: Currency | None = None,
    quote: Currency | None = None,
    on: OnDate = None,
) -> Page[FxRateOut]:
    """The stored rate in force on `date` (default today) for every stored pair, or for one
    base and/or quote currency: `rate` units of `quote` per 1 `base`, with its `as_of` date."""
    rows, total = await service.list_latest(session, paging, on or utcnow().date(), base, quote)
    return Page.of([FxRateOut.model_validate(r) for r in rows], total, paging)


@router.post("", status_code=201, response_model=FxRateOut, responses=responses(401, 403, 409, 422))
async def add_rate(data: FxRateCreate, actor: AuthenticatedActor, session: DbSession) -> FxRateOut:
    """Add a dated rate (platform admins). It applies from `as_of` until a later one."""
    return FxRateOut.model_validate(await service.add_rate(session, actor, data))


@router.get("/convert", response_model=ConversionOut, responses=responses(404, 422))
async def convert(
    session: DbSession,
    amount_minor: Annotated[int, Query(ge=-AMOUNT_LIMIT, le=AMOUNT_LIMIT)],
    from_currency: Annotated[Currency, Query(alias="from")],
    to_currency: Annotated[Currency, Query(alias="to")],
    on: OnDate = None,
) -> ConversionOut:
    """`amount_minor` of `from` in minor units of `to`, for display, at the rate in force on
    `date` (default today), crossing through USD where needed. The response names the rate
    applied, its date and the stored rates it came from; 404 when there is no rate."""
    day = on or utcnow().date()
    result = await service.convert_for_display(
        session, amount_minor, from_currency, to_currency, day
    )
    found = result.quote
    return ConversionOut(
        amount_minor=result.amount_minor,
        from_currency=found.from_currency,
        converted_minor=result.converted_minor,
        to_currency=found.to_currency,
        rate=found.rate,
        as_of=found.as_of,
        requested_on=day,
        via=found.via,
        rates=[FxRateOut.model_validate(r) for r in found.rates],
    )
