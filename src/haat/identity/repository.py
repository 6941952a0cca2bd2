"""The SQL of users, refresh tokens and OTP challenges (this domain's tables)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.identity.models import User


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await repository.get(session, User, user_id)


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    """The user with this email (stored lower-case)."""
    return await session.scalar(select(User).where(User.email == email.lower()))


async def user_by_phone(session: AsyncSession, phone_e164: str) -> User | None:
    return await session.scalar(select(User).where(User.phone == phone_e164))
