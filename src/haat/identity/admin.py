"""Platform staff's view of users: search, platform roles, disabling an account.

Only platform admins act here. An admin cannot disable or demote themselves (so the platform
always keeps the admin who is acting). Disabling a user revokes every login they have (API
refresh tokens and page sessions alike), so they are out at their next request.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import Conflict, NotFound
from haat.core.pagination import PageParams
from haat.identity import repository
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, User


class SelfChange(Conflict):
    code, title = "self_change", "You cannot disable or demote your own account"


async def search_users(
    session: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    search: str | None = None,
    role: PlatformRole | None = None,
    active: bool | None = None,
) -> tuple[list[User], int]:
    """One page of users, newest first; ``search`` matches part of the name, email or phone
    (case-insensitive). Raises 401, 403 (not a platform admin)."""
    actor.require_platform_admin()
    return await repository.page_of_users(session, params, search=search, role=role, active=active)


async def update_user(
    session: AsyncSession,
    actor: Actor,
    user_id: uuid.UUID,
    *,
    platform_role: PlatformRole | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a user's platform role and/or enable or disable them.

    Raises 401, 403 (not a platform admin), 404 (no such user), 409 `SelfChange` for an admin
    disabling or demoting themselves.
    """
    admin_id = actor.require_platform_admin()
    user = await repository.get_user(session, user_id, for_update=True)
    if user is None:
        raise NotFound("No such user")
    demoting = platform_role is not None and platform_role != PlatformRole.ADMIN
    if user.id == admin_id and (is_active is False or demoting):
        raise SelfChange()
    if platform_role is not None:
        user.platform_role = platform_role
    if is_active is not None and is_active != user.is_active:
        user.is_active = is_active
        if not is_active:
            await repository.revoke_all_of(session, user.id)
    user.updated_at = utcnow()
    await core_repository.flush(session)
    return user
