"""`/api/businesses` and `/api/clusters`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from haat.businesses import service
from haat.businesses.schemas import (
    BusinessCreate,
    BusinessOut,
    BusinessUpdate,
    ClusterOut,
    MemberAdd,
    MemberOut,
    MemberUpdate,
    MyBusinessOut,
)
from haat.core.deps import DbSession
from haat.core.errors import responses
from haat.core.pagination import Page, PageParams, page_params
from haat.identity.auth import AuthenticatedActor

router = APIRouter(prefix="/api/businesses", tags=["businesses"])
clusters_router = APIRouter(prefix="/api/clusters", tags=["clusters"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.post("", status_code=201, response_model=BusinessOut, responses=responses(401, 404, 422))
async def create_business(
    data: BusinessCreate, actor: AuthenticatedActor, session: DbSession
) -> BusinessOut:
    """Create a business; you become its admin."""
    return BusinessOut.model_validate(await service.create_business(session, actor, data))


@router.get("", response_model=Page[BusinessOut], responses=responses(422))
async def list_businesses(
    session: DbSession,
    paging: Paging,
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[BusinessOut]:
    """The public directory of businesses."""
    items, total = await service.list_businesses(session, paging, search)
    return Page.of([BusinessOut.model_validate(b) for b in items], total, paging)


@router.get("/mine", response_model=list[MyBusinessOut], responses=responses(401))
async def my_businesses(actor: AuthenticatedActor, session: DbSession) -> list[MyBusinessOut]:
    """Businesses you belong to, with your role in each."""
    rows = await service.my_businesses(session, actor)
    return [MyBusinessOut(**BusinessOut.model_validate(b).model_dump(), role=r) for b, r in rows]


@router.get("/{business_id:uuid}", response_model=BusinessOut, responses=responses(404, 422))
async def get_business(business_id: uuid.UUID, session: DbSession) -> BusinessOut:
    return BusinessOut.model_validate(await service.get_business(session, business_id))


@router.patch(
    "/{business_id:uuid}", response_model=BusinessOut, responses=responses(401, 403, 404, 422)
)
async def update_business(
    business_id: uuid.UUID, data: BusinessUpdate, actor: AuthenticatedActor, session: DbSession
) -> BusinessOut:
    """Change a business's details (business admins)."""
    business = await service.update_business(session, actor, business_id, data)
    return BusinessOut.model_validate(business)


@router.get(
    "/{business_id:uuid}/members",
    response_model=list[MemberOut],
    responses=responses(401, 403, 404, 422),
)
async def list_members(
    business_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> list[MemberOut]:
    """Members and their roles (any member may look)."""
    return await service.list_members(session, actor, business_id)


@router.post(
    "/{business_id:uuid}/members",
    status_code=201,
    response_model=MemberOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def add_member(
    business_id: uuid.UUID, data: MemberAdd, actor: AuthenticatedActor, session: DbSession
) -> MemberOut:
    """Invite an existing user with a role (business admins)."""
    return await service.add_member(session, actor, business_id, data)


@router.patch(
    "/{business_id:uuid}/members/{user_id:uuid}",
    response_model=MemberOut,
    responses=responses(401, 403, 404, 409, 422),
)
async def change_role(
    business_id: uuid.UUID,
    user_id: uuid.UUID,
    data: MemberUpdate,
    actor: AuthenticatedActor,
    session: DbSession,
) -> MemberOut:
    """Change a member's role; the last admin cannot be demoted (409)."""
    return await service.change_role(session, actor, business_id, user_id, data.role)


@router.delete(
    "/{business_id:uuid}/members/{user_id:uuid}",
    status_code=204,
    responses=responses(401, 403, 404, 409, 422),
)
async def remove_member(
    business_id: uuid.UUID, user_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> Response:
    """Remove a member (or leave yourself); the last admin cannot go (409)."""
    await service.remove_member(session, actor, business_id, user_id)
    return Response(status_code=204)


@clusters_router.get("", response_model=list[ClusterOut])
async def list_clusters(session: DbSession) -> list[ClusterOut]:
    """Artisan craft clusters with their town, state, craft and coordinates."""
    return [ClusterOut.model_validate(c) for c in await service.list_clusters(session)]
