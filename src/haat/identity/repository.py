"""The SQL of users, refresh tokens and OTP challenges (this domain's tables)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.core.db import table_of, utcnow
from haat.core.pagination import PageParams
from haat.identity.models import OtpChallenge, PlatformRole, RefreshToken, User

_users = table_of(User)
# The bearer's row on every authenticated request: three columns, no ORM object.
_USER_FOR_TOKEN = select(
    _users.c.platform_role, _users.c.is_active, _users.c.currency, _users.c.preferred_language
).where(_users.c.id == bindparam("id"))


async def user_for_token(
    session: AsyncSession, user_id: uuid.UUID
) -> tuple[PlatformRole, bool, str, str] | None:
    """``(platform_role, is_active, currency, preferred_language)`` of the user, or None: the
    hot path of every authenticated request, on the session's connection without the ORM."""
    row = (await repository.run(session, _USER_FOR_TOKEN, {"id": user_id})).one_or_none()
    if row is None:
        return None
    return row.platform_role, row.is_active, row.currency, row.preferred_language


async def get_user(
    session: AsyncSession, user_id: uuid.UUID, *, for_update: bool = False
) -> User | None:
    return await repository.get(session, User, user_id, for_update=for_update)


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this email (stored lower-case)."""
    return await session.scalar(select(User).where(User.email == email.lower()))


async def user_by_phone(session: AsyncSession, phone_e164: str) -> User | None:
    return await session.scalar(select(User).where(User.phone == phone_e164))


async def taken(session: AsyncSession, email: str | None, phone: str | None) -> bool:
    """Whether an account has this email or this phone number."""
    clauses = []
    if email:
        clauses.append(User.email == email)
    if phone:
        clauses.append(User.phone == phone)
    if not clauses:
        return False
    return await session.scalar(select(User.id).where(or_(*clauses)).limit(1)) is not None


async def page_of_users(
    session: AsyncSession,
    params: PageParams,
    *,
    search: str | None,
    role: PlatformRole | None,
    active: bool | None,
) -> tuple[list[User], int]:
    """Users newest first; ``search`` matches part of the name, email or phone."""
    stmt: Select[tuple[User]] = select(User)
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
    return await repository.paginate(
        session, stmt.order_by(User.created_at.desc(), User.id), params
    )


async def refresh_token_by_hash(
    session: AsyncSession, token_hash: str, *, for_update: bool = False
) -> RefreshToken | None:
    stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    if for_update:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    """Revoke every live token of a login family."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def revoke_all_of(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Revoke every live token of a user (API refresh tokens and page sessions alike)."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


async def live_family_user(
    session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID
) -> User | None:
    """The active user whose login family is neither revoked nor expired."""
    return await session.scalar(
        select(User)
        .join(RefreshToken, RefreshToken.user_id == User.id)
        .where(
            User.id == user_id,
            User.is_active.is_(True),
            RefreshToken.family_id == family_id,
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > utcnow(),
        )
        .limit(1)
    )


async def newest_challenge(
    session: AsyncSession, phone: str, *, unconsumed: bool = False, for_update: bool = False
) -> OtpChallenge | None:
    """The newest OTP challenge of a phone (only unconsumed ones, locked, when asked)."""
    stmt = select(OtpChallenge).where(OtpChallenge.phone == phone)
    if unconsumed:
        stmt = stmt.where(OtpChallenge.consumed_at.is_(None))
    stmt = stmt.order_by(OtpChallenge.created_at.desc()).limit(1)
    if for_update:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def consume_challenges(session: AsyncSession, phone: str, at: datetime) -> None:
    """Mark every open challenge of a phone used (only the newest code is valid)."""
    await session.execute(
        update(OtpChallenge)
        .where(OtpChallenge.phone == phone, OtpChallenge.consumed_at.is_(None))
        .values(consumed_at=at)
    )
