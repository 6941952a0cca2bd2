"""`/api/customers` and `/api/khata`.

Khata entries are immutable: there is no PATCH or DELETE (405); a correction is
`POST /api/khata/entries/{id}/reverse`.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from haat.core.dates import IsoDate
from haat.core.deps import DbSession, Limiter, Sms
from haat.core.errors import responses
from haat.core.pagination import Page, PageParams, page_params
from haat.customers import khata, reminders, service, statements, summary
from haat.customers.schemas import (
    BalanceOut,
    CustomerCreate,
    CustomerOut,
    CustomerUpdate,
    EntryCreate,
    EntryOut,
    ReminderOut,
    ReverseIn,
    StatementFormat,
    StatementOut,
    SummaryOut,
)
from haat.identity.auth import AuthenticatedActor

customers_router = APIRouter(prefix="/api/customers", tags=["customers"])
khata_router = APIRouter(prefix="/api/khata", tags=["khata"])
Paging = Annotated[PageParams, Depends(page_params)]

_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {}, "application/pdf": {}},
        "description": "The statement as JSON, CSV or PDF (``format``)",
    }
}


@customers_router.post(
    "", status_code=201, response_model=CustomerOut, responses=responses(401, 403, 404, 409, 422)
)
async def create_customer(
    data: CustomerCreate, actor: AuthenticatedActor, session: DbSession
) -> CustomerOut:
    """Add a customer to a business (its admins and editors); the phone is unique per
    business (409)."""
    return CustomerOut.model_validate(await service.create_customer(session, actor, data))


@customers_router.get("", response_model=Page[CustomerOut], responses=responses(401, 403, 404, 422))
async def list_customers(
    actor: AuthenticatedActor,
    session: DbSession,
    paging: Paging,
    business: uuid.UUID,
    search: Annotated[str | None, Query(max_length=100, description="name or phone")] = None,
    include_archived: bool = False,
) -> Page[CustomerOut]:
    """A business's customers by name (any member; platform admins)."""
    items, total = await service.list_customers(
        session,
        actor,
        business,
        paging,
        search=search,
        archived=None if include_archived else False,
    )
    return Page.of([CustomerOut.model_validate(c) for c in items], total, paging)


@customers_router.get(
    "/{customer_id:uuid}", response_model=CustomerOut, responses=responses(401, 404, 422)
)
async def get_customer(
    customer_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> CustomerOut:
    return CustomerOut.model_validate(await service.get_customer(session, actor, customer_id))


@customers_router.patch(
    "/{customer_id:uuid}",
    response_model=CustomerOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def update_customer(
    customer_id: uuid.UUID, data: CustomerUpdate, actor: AuthenticatedActor, session: DbSession
) -> CustomerOut:
    """Change a customer's details, or archive them (``archived: true``); customers are
    never deleted."""
    customer = await service.update_customer(session, actor, customer_id, data)
    return CustomerOut.model_validate(customer)


@customers_router.get(
    "/{customer_id:uuid}/khata", response_model=BalanceOut, responses=responses(401, 404, 422)
)
async def customer_balance(
    customer_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> BalanceOut:
    """What the customer owes: credits - payments + adjustments, in minor units."""
    return await khata.balance_for(session, actor, customer_id)


@customers_router.get(
    "/{customer_id:uuid}/statement",
    response_model=StatementOut,
    responses={**responses(401, 404, 422), **_FILES},
)
async def customer_statement(
    customer_id: uuid.UUID,
    actor: AuthenticatedActor,
    session: DbSession,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    format: StatementFormat = StatementFormat.JSON,
) -> Any:
    """Opening balance, every entry of the period with its running balance, closing balance;
    as JSON, CSV or PDF."""
    data = await khata.statement(session, actor, customer_id, date_from, date_to)
    if format == StatementFormat.JSON:
        return data
    body, media_type, filename = statements.download(data, format.value)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@customers_router.post(
    "/{customer_id:uuid}/reminder",
    response_model=ReminderOut,
    responses=responses(401, 403, 404, 409, 422, 429, 503),
)
async def send_reminder(
    customer_id: uuid.UUID,
    actor: AuthenticatedActor,
    session: DbSession,
    sms: Sms,
    limiter: Limiter,
) -> ReminderOut:
    """Text the customer their balance in their language (admins and editors); once per
    customer per day (429); 409 when nothing is owed."""
    return await reminders.send_reminder(
        session,
        actor,
        customer_id,
        sms=sms,
        limiter=limiter,
    )


@khata_router.post(
    "/entries", status_code=201, response_model=EntryOut, responses=responses(401, 403, 404, 422)
)
async def record_entry(
    data: EntryCreate, actor: AuthenticatedActor, session: DbSession
) -> EntryOut:
    """Record a credit, payment (with its method) or signed adjustment. Entries cannot be
    changed or deleted afterwards; reverse them instead."""
    return khata.entry_out(await khata.record_entry(session, actor, data))


@khata_router.get("/entries", response_model=Page[EntryOut], responses=responses(401, 404, 422))
async def list_entries(
    customer: uuid.UUID, actor: AuthenticatedActor, session: DbSession, paging: Paging
) -> Page[EntryOut]:
    """A customer's entries, newest first."""
    items, total = await khata.list_entries(session, actor, customer, paging)
    links = await khata.reversal_links(session, [e.id for e in items])
    return Page.of([khata.entry_out(e, links.get(e.id)) for e in items], total, paging)


@khata_router.get(
    "/entries/{entry_id:uuid}", response_model=EntryOut, responses=responses(401, 404, 422)
)
async def get_entry(entry_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession) -> EntryOut:
    entry = await khata.get_entry(session, actor, entry_id)
    return khata.entry_out(entry, await khata.reversed_by(session, entry.id))


@khata_router.post(
    "/entries/{entry_id:uuid}/reverse",
    status_code=201,
    response_model=EntryOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def reverse_entry(
    entry_id: uuid.UUID, data: ReverseIn, actor: AuthenticatedActor, session: DbSession
) -> EntryOut:
    """Cancel an entry with an opposite one linked by ``reverses_id``; once only (409)."""
    return khata.entry_out(await khata.reverse_entry(session, actor, entry_id, data.reason))


@khata_router.get("/summary", response_model=SummaryOut, responses=responses(401, 403, 404, 422))
async def khata_summary(
    business: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> SummaryOut:
    """Total receivable, customers with dues, FIFO ageing (0-30, 31-60, 61-90, 90+ days) and
    payments collected this calendar month (UTC), in minor units."""
    return await summary.business_summary(session, actor, business)
