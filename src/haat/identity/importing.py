"""Importing users with their own ids and dates: demo data and migrations from other shops.

The caller gives finished rows (a password already hashed); nothing is sent and no login
starts. Rules of sign-up (rate limits, uniqueness answers) do not apply: an import fails on a
duplicate email or phone at the flush, and the caller's transaction rolls back whole.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository as core_repository
from haat.identity import repository
from haat.identity.models import PlatformRole, User


@dataclass(frozen=True)
class UserImport:
    """One account as it should be stored (``password_hash`` from
    `haat.core.security.hash_password`)."""

    id: uuid.UUID
    email: str | None
    full_name: str
    password_hash: str | None
    platform_role: PlatformRole
    created_at: datetime
    phone: str | None = None
    preferred_language: str = "en"
    country: str | None = "IN"
    currency: str = "INR"


async def import_users(session: AsyncSession, rows: list[UserImport]) -> None:
    """Store ``rows`` as users (flushed, so other rows may refer to them)."""
    users = [
        User(
            id=row.id,
            email=row.email,
            phone=row.phone,
            full_name=row.full_name,
            password_hash=row.password_hash,
            platform_role=row.platform_role,
            preferred_language=row.preferred_language,
            country=row.country,
            currency=row.currency,
            created_at=row.created_at,
            updated_at=row.created_at,
        )
        for row in rows
    ]
    await core_repository.add(session, *users)


async def user_exists(session: AsyncSession, user_id: uuid.UUID) -> bool:
    return await repository.get_user(session, user_id) is not None
