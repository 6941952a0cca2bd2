"""Platform staff's view of users: search, platform roles, disabling an account.

Only platform admins act here. An admin cannot disable or demote themselves (so the platform
always keeps the admin who is acting). Disabling a user revokes every login they have (API
refresh tokens and page sessions alike), so they are out at their next request.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import utcnow
from haat.core.errors import Conflict, NotFound
from haat.core.pagination import PageParams
from haat.core.repository import paginate
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, RefreshToken, User


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
    stmt = select(User)
    if search:
        term = search.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(User.full_name).contains(term, autoescape=True),
                func.lower(User.email).contains(term, autoescape=True),
                User.phone.contains(term.replace(" ", ""), autoescape=True),
            )
        )
    if role is not None:
        stmt = stmt.where(User.platform_role == role)
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    return await paginate(session, stmt.order_by(User.created_at.desc(), User.id), params)


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
    user = await session.scalar(select(User).where(User.id == user_id).with_for_update())
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
            await session.execute(
                update(RefreshToken)
                .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
    user.updated_at = utcnow()
    await session.flush()
    return user
