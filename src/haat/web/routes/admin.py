"""The admin console (platform staff, desktop): approval queue with bulk actions and previews,
businesses, users (roles, disabling) and the platform figures as charts."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Form, Query
from fastapi.responses import RedirectResponse, Response

from haat.businesses import service as businesses
from haat.catalog import photo_quality, transitions
from haat.catalog import service as catalog
from haat.catalog.models import ProductStatus
from haat.catalog.present import product_admin_out
from haat.catalog.workflow import ProductAction
from haat.commerce import figures
from haat.core.deps import DbSession, Storage
from haat.core.errors import HaatError
from haat.core.money import minor_units
from haat.core.pagination import Page, PageParams
from haat.identity import admin as users
from haat.identity.models import PlatformRole
from haat.web import refusals
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer, safe_next

router = page_router("/admin")
BULK_ACTIONS = {"approve": ProductAction.APPROVE, "reject": ProductAction.REJECT}


def _staff(viewer: Viewer) -> None:
    """Every console page is for platform admins: 401 (log in) or 403 otherwise."""
    viewer.actor.require_platform_admin()


@router.get("")
async def console(viewer: CurrentViewer) -> Response:
    _staff(viewer)
    return RedirectResponse("/admin/queue", status_code=303)


@router.get("/queue")
async def queue(
    viewer: CurrentViewer,
    session: DbSession,
    storage: Storage,
    business: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    _staff(viewer)
    try:
        business_id = uuid.UUID(business) if business else None
    except ValueError:
        business_id = None
    paging = PageParams(page, 25)
    items, counted = await catalog.list_for_staff(
        session, viewer.actor, paging, business_id, ProductStatus.PENDING_APPROVAL
    )
    grades = await photo_quality.staff_quality(session, viewer.actor, items)
    shown = [product_admin_out(p, storage, quality=grades) for p in items]
    context = {
        "section": "queue",
        "result": Page.of(shown, counted, paging),
        "params": {"business": business} if business_id else {},
    }
    return render(viewer, "admin/queue.html", context)


@router.post("/queue")
async def decide(
    viewer: CurrentViewer,
    session: DbSession,
    action: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=300)] = "/admin/queue",
) -> Response:
    """Approve or reject the ticked products (``product_id`` repeated), each on its own: one
    that someone else decided first is reported, the rest go through."""
    _staff(viewer)
    form = await viewer.request.form()
    ids: list[uuid.UUID] = []
    for value in form.getlist("product_id"):
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    back = RedirectResponse(safe_next(next, "/admin/queue"), status_code=303)
    if action not in BULK_ACTIONS or not ids:
        viewer.flash(viewer.gettext("Tick at least one product and choose an action."), "error")
        return back

    def say(exc: HaatError) -> str | None:  # a rejection's reason is what a 422 misses
        if action == "reject" and exc.status == 422:
            return viewer.gettext("Say why the product is rejected (at least 3 characters).")
        return None

    async with refusals.flashed(viewer, session, say=say) as refused:
        outcomes = await transitions.apply_bulk(
            session, viewer.actor, list(dict.fromkeys(ids)), BULK_ACTIONS[action], reason.strip()
        )
    if refused:
        return back
    done = sum(1 for o in outcomes if o.error is None)
    failed = len(outcomes) - done
    _ = viewer.lang.translations
    if action == "approve":
        viewer.flash(
            _.ngettext("%(n)d product approved.", "%(n)d products approved.", done) % {"n": done}
        )
    else:
        viewer.flash(
            _.ngettext("%(n)d product rejected.", "%(n)d products rejected.", done) % {"n": done}
        )
    if failed:
        viewer.flash(
            _.ngettext(
                "%(n)d product was not changed (decided already, or not waiting).",
                "%(n)d products were not changed (decided already, or not waiting).",
                failed,
            )
            % {"n": failed},
            "error",
        )
    return back


@router.get("/products/{product_id:uuid}")
async def preview(
    product_id: uuid.UUID, viewer: CurrentViewer, session: DbSession, storage: Storage
) -> Response:
    """A product as staff see it, with its history and the approval buttons."""
    _staff(viewer)
    product = await catalog.get_product(session, viewer.actor, product_id)
    cluster = None
    if product.business.cluster_id is not None:
        cluster = await businesses.get_cluster(session, product.business.cluster_id)
    context = {
        "section": "queue",
        "product": product_admin_out(
            product,
            storage,
            quality=await photo_quality.staff_quality(session, viewer.actor, [product]),
        ),
        "cluster": cluster,
        "history": await catalog.history(session, viewer.actor, product_id),
    }
    return render(viewer, "admin/product.html", context)


@router.get("/businesses")
async def business_list(
    viewer: CurrentViewer,
    session: DbSession,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    _staff(viewer)
    paging = PageParams(page, 30)
    items, counted = await businesses.list_businesses(session, paging, q.strip() or None)
    context = {
        "section": "businesses",
        "result": Page.of(items, counted, paging),
        "query": q,
        "params": {"q": q} if q else {},
    }
    return render(viewer, "admin/businesses.html", context)


@router.get("/users")
async def user_list(
    viewer: CurrentViewer,
    session: DbSession,
    q: Annotated[str, Query(max_length=100)] = "",
    role: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    _staff(viewer)
    chosen = PlatformRole(role) if role in PlatformRole.__members__.values() else None
    paging = PageParams(page, 30)
    items, counted = await users.search_users(
        session, viewer.actor, paging, search=q.strip() or None, role=chosen
    )
    context = {
        "section": "users",
        "result": Page.of(items, counted, paging),
        "query": q,
        "chosen": chosen.value if chosen else "",
        "roles": list(PlatformRole),
        "params": {k: v for k, v in {"q": q, "role": role}.items() if v},
    }
    return render(viewer, "admin/users.html", context)


@router.post("/users/{user_id:uuid}")
async def change_user(
    user_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    platform_role: Annotated[str, Form(max_length=10)] = "",
    active: Annotated[str, Form(max_length=5)] = "",
    next: Annotated[str, Form(max_length=300)] = "/admin/users",
) -> Response:
    _staff(viewer)
    role = (
        PlatformRole(platform_role) if platform_role in PlatformRole.__members__.values() else None
    )
    is_active = {"yes": True, "no": False}.get(active)
    async with refusals.flashed(viewer, session) as refused:
        await users.update_user(
            session, viewer.actor, user_id, platform_role=role, is_active=is_active
        )
    if not refused:
        viewer.flash(viewer.gettext("User updated."))
    return RedirectResponse(safe_next(next, "/admin/users"), status_code=303)


def _months(as_of: datetime) -> list[str]:
    """The 12 ``YYYY-MM`` months (UTC) that ``PlatformFigures.by_month`` covers, oldest first:
    the month of ``as_of`` and the 11 before it."""
    utc = as_of.astimezone(UTC)
    last = utc.year * 12 + utc.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(last - 11, last + 1)]


def _chart_data(data: figures.PlatformFigures) -> dict[str, Any]:
    return {
        "months": _months(data.as_of),
        # [status, count] pairs: a JSON object would lose the statuses' order (tojson sorts keys).
        "products_by_status": list(data.products_by_status.items()),
        "orders_by_status": list(data.orders_by_status.items()),
        "sales": [asdict(s) for s in data.sales],
        "by_month": [asdict(m) for m in data.by_month],
        # Decimal places per currency, to chart major units.
        "exponents": {c: minor_units(c) for c in {s.currency for s in data.sales}},
    }


@router.get("/figures")
async def platform_figures(viewer: CurrentViewer, session: DbSession) -> Response:
    _staff(viewer)
    data = await figures.platform_figures(session, viewer.actor)
    context = {"section": "figures", "figures": data, "chart_data": _chart_data(data)}
    return render(viewer, "admin/figures.html", context)
