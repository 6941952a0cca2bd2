"""What every seller-portal page shares: the business it is about, the viewer's role there,
and the context its layout needs."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses import service as businesses
from haat.businesses.models import Business, BusinessRole
from haat.web.viewer import Viewer


async def portal(
    viewer: Viewer, session: AsyncSession, business_id: uuid.UUID
) -> tuple[Business, BusinessRole | None]:
    """The business of a portal page and the viewer's role (None for a platform admin).
    Raises 401 when anonymous and 404 for anyone else (`businesses.service.portal_access`).
    Calling it again in the same request costs no query (after a rollback, one: the
    business is read again)."""
    return await businesses.portal_access(session, viewer.actor, business_id)


def portal_context(business: Business, role: BusinessRole | None, section: str) -> dict[str, Any]:
    """The portal layout's context: the business, the viewer's role, the section's tab."""
    return {"business": business, "role": role, "section": section}
