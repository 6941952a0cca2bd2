"""`/api/admin/events`: behaviour events for platform admins."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from haat.core.dates import IsoDate
from haat.core.deps import DbSession
from haat.core.errors import responses
from haat.core.pagination import Page, PageParams, page_params
from haat.identity.auth import AuthenticatedActor
from haat.insights import service
from haat.insights.models import EventKind
from haat.insights.schemas import EventOut

router = APIRouter(prefix="/api/admin/events", tags=["insights"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.get("", response_model=Page[EventOut], responses=responses(401, 403, 422))
async def list_events(
    actor: AuthenticatedActor,
    session: DbSession,
    paging: Paging,
    kind: Annotated[list[EventKind] | None, Query(description="one or more kinds")] = None,
    user_id: uuid.UUID | None = None,
    session_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    product_id: uuid.UUID | None = None,
    date_from: Annotated[IsoDate | None, Query(description="first UTC day, YYYY-MM-DD")] = None,
    date_to: Annotated[IsoDate | None, Query(description="last UTC day, inclusive")] = None,
) -> Page[EventOut]:
    """What shoppers did, newest first (platform admins). Events are written in batches
    about a second after the request that caused them."""
    filters = service.EventFilters.for_days(
        date_from,
        date_to,
        kinds=tuple(kind or ()),
        user_id=user_id,
        session_id=session_id,
        product_id=product_id,
    )
    items, total = await service.list_events(session, actor, filters, paging)
    return Page.of([EventOut.model_validate(e) for e in items], total, paging)
