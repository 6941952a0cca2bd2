"""`/api/quality`: each business's minimum photo grade."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from haat.core.deps import DbSession
from haat.core.errors import responses
from haat.identity.auth import AuthenticatedActor
from haat.quality import service
from haat.quality.schemas import PolicyIn, PolicyOut

router = APIRouter(prefix="/api/quality", tags=["photo quality"])


@router.get(
    "/policies/{business_id:uuid}",
    response_model=PolicyOut,
    responses=responses(401, 403, 404, 422),
)
async def get_policy(
    business_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> PolicyOut:
    """The business's minimum photo grade, if any (its members and platform admins)."""
    return await service.get_policy(session, actor, business_id)


@router.put(
    "/policies/{business_id:uuid}",
    response_model=PolicyOut,
    responses=responses(401, 403, 404, 422),
)
async def set_policy(
    business_id: uuid.UUID, data: PolicyIn, actor: AuthenticatedActor, session: DbSession
) -> PolicyOut:
    """Require a minimum photo grade ("A", "B" or "C"; null removes it) for submitting,
    publishing and approving this business's products (its admins and platform admins).
    A product with no photo is judged by the workflow alone; products already public stay."""
    return await service.set_policy(session, actor, business_id, data.minimum_grade)
