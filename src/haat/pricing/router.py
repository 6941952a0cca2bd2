"""`/api/metal-rates`, `/api/products/{id}/jewellery` and `/api/predictions/trends`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile

from haat.catalog.models import Metal
from haat.catalog.present import jewellery_out
from haat.catalog.schemas import JewelleryOut
from haat.core.dates import IsoDate
from haat.core.deps import AppSettings, DbSession
from haat.core.errors import NotFound, PayloadTooLarge, Unprocessable, responses
from haat.core.pagination import Page, PageParams, page_params
from haat.identity.auth import AuthenticatedActor
from haat.pricing import importing, jewellery, metal_rates, trends
from haat.pricing.repricing import Repriced, current_rate
from haat.pricing.schemas import (
    ImportOut,
    JewelleryIn,
    MetalRateCreate,
    MetalRateOut,
    MetalRateUpdate,
    MetalRateWritten,
    RepricedOut,
    TrendOut,
)

rates_router = APIRouter(prefix="/api/metal-rates", tags=["pricing"])
jewellery_router = APIRouter(prefix="/api/products", tags=["pricing"])
trends_router = APIRouter(prefix="/api/predictions", tags=["predictions"])
Paging = Annotated[PageParams, Depends(page_params)]


def _repriced(result: Repriced) -> RepricedOut:
    return RepricedOut(metal=result.metal, products=result.products, cart_lines=result.cart_lines)


@rates_router.get("", response_model=Page[MetalRateOut], responses=responses(422))
async def list_rates(
    session: DbSession,
    paging: Paging,
    metal: Metal | None = None,
    date_from: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to", description="YYYY-MM-DD")] = None,
) -> Page[MetalRateOut]:
    """Stored rates, newest first, of one metal or all, dated between `from` and `to`
    (inclusive): paise per gram of fine metal."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Unprocessable(
            "`from` is after `to`",
            errors=[{"loc": ["query", "from"], "msg": "after `to`", "type": "date_order"}],
        )
    rows, total = await metal_rates.list_rates(session, paging, metal, date_from, date_to)
    return Page.of([MetalRateOut.model_validate(r) for r in rows], total, paging)


@rates_router.get("/current", response_model=list[MetalRateOut])
async def current_rates(session: DbSession) -> list[MetalRateOut]:
    """The rate in force today of each metal that has one (what jewellery is priced at)."""
    found = [await current_rate(session, metal) for metal in Metal]
    return [MetalRateOut.model_validate(rate) for rate in found if rate is not None]


@rates_router.post(
    "", status_code=201, response_model=MetalRateWritten, responses=responses(401, 403, 409, 422)
)
async def create_rate(
    data: MetalRateCreate, actor: AuthenticatedActor, session: DbSession
) -> MetalRateWritten:
    """Add a dated rate (platform admins). When it is the rate in force, every jewellery
    product of the metal and the open carts holding them are re-priced in this request."""
    rate, repriced = await metal_rates.create_rate(session, actor, data)
    return MetalRateWritten(rate=MetalRateOut.model_validate(rate), repriced=_repriced(repriced))


@rates_router.post("/import", response_model=ImportOut, responses=responses(401, 403, 413, 422))
async def import_rates(
    settings: AppSettings,
    actor: AuthenticatedActor,
    session: DbSession,
    file: Annotated[UploadFile, File(description="CSV: metal,date,inr_per_gram[,source]")],
) -> ImportOut:
    """Import rates from CSV, all or nothing (platform admins): a 422 names every bad line
    (`errors[].loc` = `["file", line, column]`, the header is line 1)."""
    actor.require_platform_admin()
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"Rate files are limited to {settings.max_upload_bytes // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unprocessable("The file is not UTF-8 text") from None
    result = await importing.import_rates(
        session, actor, text, default_source=f"CSV import {file.filename or ''}".strip()[:200]
    )
    return ImportOut(
        created=result.created,
        updated=result.updated,
        repriced=[_repriced(r) for r in result.repriced],
    )


@rates_router.patch(
    "/{rate_id:uuid}", response_model=MetalRateWritten, responses=responses(401, 403, 404, 422)
)
async def update_rate(
    rate_id: uuid.UUID, data: MetalRateUpdate, actor: AuthenticatedActor, session: DbSession
) -> MetalRateWritten:
    """Correct a rate's value or source (platform admins); re-prices as a new rate does."""
    rate, repriced = await metal_rates.update_rate(session, actor, rate_id, data)
    return MetalRateWritten(rate=MetalRateOut.model_validate(rate), repriced=_repriced(repriced))


@rates_router.delete(
    "/{rate_id:uuid}", response_model=RepricedOut, responses=responses(401, 403, 404, 409, 422)
)
async def delete_rate(
    rate_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> RepricedOut:
    """Delete a rate (platform admins); jewellery goes back to the rate in force without it.
    409 when it is the metal's only rate in force and jewellery is priced from it."""
    return _repriced(await metal_rates.delete_rate(session, actor, rate_id))


@jewellery_router.get(
    "/{product_id:uuid}/jewellery",
    response_model=JewelleryOut,
    responses=responses(401, 403, 404, 422),
)
async def get_jewellery(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> JewelleryOut:
    """A jewellery product's spec and price breakdown (its business's members, platform
    admins); 404 when the product is not priced from a metal rate."""
    product = await jewellery.product_with_jewellery(session, actor, product_id)
    if product.jewellery is None:
        raise NotFound("This product is not priced from a metal rate")
    return jewellery_out(product.jewellery)


@jewellery_router.put(
    "/{product_id:uuid}/jewellery",
    response_model=JewelleryOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def put_jewellery(
    product_id: uuid.UUID, data: JewelleryIn, actor: AuthenticatedActor, session: DbSession
) -> JewelleryOut:
    """Price the product from the metal rate by its metal, purity, weight and making charge
    (business editors and admins); its `price_minor` becomes the breakdown's subtotal."""
    spec = jewellery.JewellerySpec(
        metal=data.metal,
        purity=data.purity,
        weight_mg=data.weight_mg,
        making_charge_bp=data.making_charge_bp,
        making_charge_per_g_minor=data.making_charge_per_g_minor,
    )
    product = await jewellery.set_jewellery(session, actor, product_id, spec)
    assert product.jewellery is not None
    return jewellery_out(product.jewellery)


@jewellery_router.delete(
    "/{product_id:uuid}/jewellery", status_code=204, responses=responses(401, 403, 404, 409, 422)
)
async def delete_jewellery(
    product_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> Response:
    """Stop pricing from the metal rate; the product keeps its last price as a fixed one."""
    await jewellery.remove_jewellery(session, actor, product_id)
    return Response(status_code=204)


@trends_router.get("/trends", response_model=TrendOut, responses=responses(404, 422))
async def metal_trend(
    session: DbSession,
    days: Annotated[int, Query(ge=1, le=trends.MAX_DAYS, description="window length")] = 30,
    metal: Metal = Metal.GOLD,
) -> TrendOut:
    """The rates of `metal` in force during the last `days` days (paise per gram of fine
    metal) with average, min, max, current, change and change %. 404 when the metal has no
    rate (only gold is seeded)."""
    return await trends.trend(session, metal, days)
