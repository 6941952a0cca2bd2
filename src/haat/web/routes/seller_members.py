"""The seller portal's members: everyone sees who belongs; business admins add members,
change roles and remove them (the service refuses anyone else, and the last admin's exit)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Form
from fastapi.responses import RedirectResponse, Response

from haat.businesses import service as businesses
from haat.businesses.models import BusinessRole
from haat.businesses.schemas import MemberAdd
from haat.core.deps import DbSession
from haat.web import refusals
from haat.web.forms import validate
from haat.web.messages import error_message
from haat.web.portal import portal, portal_context
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer

router = page_router("/seller")


def _back(business_id: uuid.UUID) -> Response:
    return RedirectResponse(f"/seller/{business_id}/members", status_code=303)


@router.get("/{business_id:uuid}/members")
async def members(business_id: uuid.UUID, viewer: CurrentViewer, session: DbSession) -> Response:
    business, role = await portal(viewer, session, business_id)
    context = {
        **portal_context(business, role, "members"),
        "members": await businesses.list_members(session, viewer.actor, business_id),
        "roles": list(BusinessRole),
        "manage": role == BusinessRole.ADMIN or viewer.is_admin,
    }
    return render(viewer, "seller/members.html", context)


@router.post("/{business_id:uuid}/members")
async def add_member(
    business_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    identifier: Annotated[str, Form(max_length=254)] = "",
    role: Annotated[str, Form(max_length=16)] = "viewer",
) -> Response:
    """Add an existing user by email (with an @) or phone."""
    await portal(viewer, session, business_id)
    key = "email" if "@" in identifier else "phone"
    body, _invalid = validate(MemberAdd, {key: identifier.strip(), "role": role})
    if body is None:
        viewer.flash(error_message(viewer, "validation_error", "", 422), "error")
        return _back(business_id)
    async with refusals.flashed(viewer, session) as refused:
        await businesses.add_member(session, viewer.actor, business_id, body)
    if not refused:
        viewer.flash(viewer.gettext("Member added."))
    return _back(business_id)


@router.post("/{business_id:uuid}/members/{user_id:uuid}")
async def change_member(
    business_id: uuid.UUID,
    user_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    role: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Change the member's role, or remove them (``role=remove``)."""
    await portal(viewer, session, business_id)
    if role != "remove" and role not in BusinessRole.__members__.values():
        viewer.flash(error_message(viewer, "validation_error", "", 422), "error")
        return _back(business_id)
    async with refusals.flashed(viewer, session) as refused:
        if role == "remove":
            await businesses.remove_member(session, viewer.actor, business_id, user_id)
        else:
            await businesses.change_role(
                session, viewer.actor, business_id, user_id, BusinessRole(role)
            )
    if not refused:
        viewer.flash(viewer.gettext("Members updated."))
    return _back(business_id)
