"""The seller portal's orders: the list to fulfil, one order with its timeline, status
changes and notes."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Form, Query
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from haat.commerce import orders, status
from haat.commerce.models import OrderStatus
from haat.core.deps import DbSession
from haat.core.errors import NotFound
from haat.core.pagination import Page, PageParams
from haat.payments import escrow, lifecycle
from haat.payments.providers import PaymentProviders
from haat.payments.schemas import MilestoneIn, MilestonesIn
from haat.payments.views import order_money
from haat.web import refusals
from haat.web.messages import error_message
from haat.web.portal import portal, portal_context
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer

router = page_router("/seller")
Note = Annotated[str, Form(max_length=2000)]
MILESTONE_ROWS = 4  # rows of the milestones form


@router.get("/{business_id:uuid}/orders")
async def business_orders(
    business_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    status_filter: Annotated[str, Query(alias="status", max_length=16)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    business, role = await portal(viewer, session, business_id)
    chosen = (
        OrderStatus(status_filter) if status_filter in OrderStatus.__members__.values() else None
    )
    paging = PageParams(page, 20)
    filters = orders.OrderFilters(status=chosen, search=q.strip() or None)
    items, counted = await orders.list_orders(session, viewer.actor, paging, filters, business_id)
    context = {
        **portal_context(business, role, "orders"),
        "result": Page.of(items, counted, paging),
        "statuses": list(OrderStatus),
        "chosen": chosen.value if chosen else "",
        "query": q,
        "params": {k: v for k, v in {"status": status_filter, "q": q}.items() if v},
    }
    return render(viewer, "seller/orders.html", context)


@router.get("/{business_id:uuid}/orders/{order_id:uuid}")
async def business_order(
    business_id: uuid.UUID, order_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    business, role = await portal(viewer, session, business_id)
    order = await orders.get_order(session, viewer.actor, order_id)
    if order.business_id != business_id:
        raise NotFound("No such order")
    staff = await status.is_staff(session, viewer.actor, order)
    context = {
        **portal_context(business, role, "orders"),
        "order": order,
        "history": await orders.history(session, viewer.actor, order_id),
        "targets": status.allowed_targets(order.status, staff=staff, buyer=False),
        "staff": staff,
        "internal": await orders.sees_internal(session, viewer.actor, order),
        "money": await order_money(session, viewer.actor, order),
        "milestone_rows": MILESTONE_ROWS,
    }
    return render(viewer, "seller/order.html", context)


@router.post("/{business_id:uuid}/orders/{order_id:uuid}/status")
async def change_status(
    business_id: uuid.UUID,
    order_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    providers: PaymentProviders,
    target: Annotated[OrderStatus, Form(alias="status")],
    note: Note = "",
) -> Response:
    await portal(viewer, session, business_id)
    async with refusals.flashed(viewer, session) as refused:
        await lifecycle.change_order_status(
            session, viewer.actor, providers, order_id, target, note.strip() or None
        )
    if not refused:
        viewer.flash(viewer.gettext("Status changed."))
    return RedirectResponse(f"/seller/{business_id}/orders/{order_id}", status_code=303)


def _milestones_from(form: Any) -> MilestonesIn | None:
    """The form's rows (``title`` and ``percent`` repeated; empty rows skipped) as the
    service's model, percentages in basis points; None when a row is unusable."""
    rows = []
    for title, percent in zip(form.getlist("title"), form.getlist("percent"), strict=False):
        title, percent = str(title).strip(), str(percent).strip().replace(",", ".")
        if not title and not percent:
            continue
        try:
            basis_points = int((Decimal(percent) * 100).to_integral_value())
            rows.append(MilestoneIn(title=title, amount_minor=None, percent_bp=basis_points))
        except (InvalidOperation, ValidationError):
            return None
    try:
        return MilestonesIn(milestones=rows)
    except ValidationError:
        return None


@router.post("/{business_id:uuid}/orders/{order_id:uuid}/milestones")
async def set_milestones(
    business_id: uuid.UUID, order_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    """Split an unpaid order into milestones by percentage (`escrow.set_milestones`: admins
    and editors; the shares must add up to 100 %); all rows empty: paid as a whole."""
    await portal(viewer, session, business_id)
    back = RedirectResponse(f"/seller/{business_id}/orders/{order_id}", status_code=303)
    data = _milestones_from(await viewer.request.form())
    if data is None:
        viewer.flash(error_message(viewer, "validation_error", "", 422), "error")
        return back
    async with refusals.flashed(viewer, session) as refused:
        await escrow.set_milestones(session, viewer.actor, order_id, data)
    if not refused:
        viewer.flash(viewer.gettext("Milestones saved."))
    return back


@router.post("/{business_id:uuid}/orders/{order_id:uuid}/notes")
async def save_notes(
    business_id: uuid.UUID,
    order_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    notes: Annotated[str, Form(max_length=5000)] = "",
    admin_notes: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    await portal(viewer, session, business_id)
    async with refusals.flashed(viewer, session) as refused:
        await orders.set_notes(session, viewer.actor, order_id, notes, admin_notes)
    if not refused:
        viewer.flash(viewer.gettext("Notes saved."))
    return RedirectResponse(f"/seller/{business_id}/orders/{order_id}", status_code=303)
