"""The seller portal's khata: customers with balances, a customer's page with the two-tap
entry (amount, then Credit or Payment), statements (PDF, CSV) and a share link for the
customer's phone; and the public page that link opens."""

from __future__ import annotations

import uuid
from decimal import InvalidOperation
from typing import Annotated, Any

from fastapi import Form, Query
from fastapi.responses import RedirectResponse, Response

from haat.core.deps import AppSettings, DbSession
from haat.core.errors import NotFound
from haat.core.money import PaymentMethod, to_minor
from haat.core.pagination import Page, PageParams
from haat.customers import khata, service, sharing, statements, summary
from haat.customers.models import EntryKind
from haat.customers.schemas import CustomerCreate, EntryCreate
from haat.web import refusals
from haat.web.forms import validate
from haat.web.messages import error_message
from haat.web.portal import portal, portal_context
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer

router = page_router()
DEFAULT_CURRENCY = "INR"
# The buttons of the two-tap entry: (button value, kind, payment method).
QUICK_ENTRIES: dict[str, tuple[EntryKind, PaymentMethod | None]] = {
    "credit": (EntryKind.CREDIT, None),
    "cash": (EntryKind.PAYMENT, PaymentMethod.CASH),
    "upi": (EntryKind.PAYMENT, PaymentMethod.UPI),
}


@router.get("/seller/{business_id:uuid}/khata")
async def khata_home(
    business_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    business, role = await portal(viewer, session, business_id)
    paging = PageParams(page, 30)
    items, counted = await service.list_customers(
        session, viewer.actor, business_id, paging, search=q.strip() or None
    )
    owed = await khata.balances_of(session, viewer.actor, business_id, [c.id for c in items])
    context = {
        **portal_context(business, role, "khata"),
        "summary": await summary.business_summary(session, viewer.actor, business_id),
        "result": Page.of(items, counted, paging),
        "owed": owed,
        "currency": await khata.business_currency(session, business_id) or DEFAULT_CURRENCY,
        "query": q,
        "params": {"q": q} if q else {},
        "values": {},
        "invalid": set(),
    }
    return render(viewer, "seller/khata.html", context)


@router.post("/seller/{business_id:uuid}/khata/customers")
async def add_customer(
    business_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    name: Annotated[str, Form(max_length=200)] = "",
    phone: Annotated[str, Form(max_length=32)] = "",
    preferred_language: Annotated[str, Form(max_length=8)] = "hi",
) -> Response:
    await portal(viewer, session, business_id)
    values = {
        "name": name.strip(),
        "phone": phone.strip(),
        "preferred_language": preferred_language,
    }
    body, invalid = validate(CustomerCreate, {**values, "business_id": business_id})
    if body is None:
        viewer.flash(error_message(viewer, "validation_error", "", 422), "error")
        return RedirectResponse(f"/seller/{business_id}/khata", status_code=303)
    async with refusals.flashed(viewer, session) as refused:
        customer = await service.create_customer(session, viewer.actor, body)
    if refused:
        return RedirectResponse(f"/seller/{business_id}/khata", status_code=303)
    return RedirectResponse(f"/seller/{business_id}/khata/customers/{customer.id}", status_code=303)


async def _customer_context(
    viewer: Viewer,
    session: DbSession,
    secret_key: str,
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    page: int,
) -> dict[str, Any]:
    business, role = await portal(viewer, session, business_id)
    customer = await service.get_customer(session, viewer.actor, customer_id)
    if customer.business_id != business_id:
        raise NotFound("No such customer")
    paging = PageParams(page, 20)
    entries, counted = await khata.list_entries(session, viewer.actor, customer_id, paging)
    token = await sharing.share_token(session, viewer.actor, customer_id, secret_key)
    share_url = str(viewer.request.url_for("shared_statement", token=token))
    return {
        **portal_context(business, role, "khata"),
        "customer": customer,
        "balance": await khata.balance_for(session, viewer.actor, customer_id),
        "entries": Page.of(entries, counted, paging),
        "currency": await khata.business_currency(session, business_id) or DEFAULT_CURRENCY,
        "share_url": share_url,
        "can_write": role is not None and role.value in ("admin", "editor"),
    }


@router.get("/seller/{business_id:uuid}/khata/customers/{customer_id:uuid}")
async def customer_page(
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    context = await _customer_context(
        viewer, session, settings.secret_key, business_id, customer_id, page
    )
    return render(viewer, "seller/customer.html", context)


@router.post("/seller/{business_id:uuid}/khata/customers/{customer_id:uuid}/entries")
async def add_entry(
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    entry: Annotated[str, Form(max_length=10)] = "",
    amount: Annotated[str, Form(max_length=20)] = "",
    description: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The second tap: ``entry`` names the button (credit, cash, upi), ``amount`` is in
    major units of the khata's currency. HTMX gets the refreshed balance and entries."""
    await portal(viewer, session, business_id)
    currency = await khata.business_currency(session, business_id) or DEFAULT_CURRENCY
    error: str | None = None
    status_code = 200
    try:
        kind, method = QUICK_ENTRIES[entry]
        amount_minor = to_minor(amount.replace(",", "").strip(), currency)
    except (KeyError, ValueError, TypeError, InvalidOperation):
        error, status_code = viewer.gettext("Type an amount, then tap Credit or Payment."), 422
    else:
        body, _invalid = validate(
            EntryCreate,
            {
                "customer_id": customer_id,
                "kind": kind,
                "amount_minor": amount_minor,
                "currency": currency,
                "method": method,
                "description": description.strip(),
            },
        )
        if body is None:
            error, status_code = viewer.gettext("Type an amount, then tap Credit or Payment."), 422
        else:
            async with refusals.caught(viewer, session) as refused:
                await khata.record_entry(session, viewer.actor, body)
            if refused:
                error, status_code = refused.message, refused.status
    if viewer.request.headers.get("hx-request") == "true":
        context = await _customer_context(
            viewer, session, settings.secret_key, business_id, customer_id, 1
        )
        context["entry_error"] = error
        return render(viewer, "seller/_khata_ledger.html", context, status_code=status_code)
    if error:
        viewer.flash(error, "error")
    else:
        viewer.flash(viewer.gettext("Entry recorded."))
    return RedirectResponse(f"/seller/{business_id}/khata/customers/{customer_id}", status_code=303)


def _file(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/seller/{business_id:uuid}/khata/customers/{customer_id:uuid}/statement.{fmt}")
async def statement_file(
    business_id: uuid.UUID,
    customer_id: uuid.UUID,
    fmt: str,
    viewer: CurrentViewer,
    session: DbSession,
) -> Response:
    await portal(viewer, session, business_id)
    if fmt not in ("pdf", "csv"):
        raise NotFound("No such format")
    data = await khata.statement(session, viewer.actor, customer_id)
    if data.customer.business_id != business_id:
        raise NotFound("No such customer")
    return _file(*statements.download(data, fmt))


@router.get("/s/khata/{token}", name="shared_statement")
async def shared_statement(
    token: str, viewer: CurrentViewer, session: DbSession, settings: AppSettings
) -> Response:
    """The customer's own view of their statement, from the link the shop sent."""
    data = await sharing.shared_statement(session, token, settings.secret_key)
    return render(viewer, "seller/shared_statement.html", {"statement": data, "token": token})


@router.get("/s/khata/{token}/statement.pdf")
async def shared_statement_pdf(
    token: str, viewer: CurrentViewer, session: DbSession, settings: AppSettings
) -> Response:
    data = await sharing.shared_statement(session, token, settings.secret_key)
    return _file(*statements.download(data, "pdf"))
