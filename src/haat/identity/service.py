"""Identity rules: registration, password login, tokens, profile. OTP login is in `otp.py`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.config import Settings
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import Conflict, Unauthenticated
from haat.core.phone import normalize_e164
from haat.core.ratelimit import RateLimiter
from haat.core.security import (
    encode_access_token,
    hash_password,
    new_opaque_token,
    sha256_hex,
    verify_password,
)
from haat.identity import repository
from haat.identity.models import PlatformRole, RefreshToken, User
from haat.identity.schemas import MePatch, RegisterIn, TokenPair


async def promote_to_seller(session: AsyncSession, user_id: uuid.UUID) -> None:
    """A buyer who opens a business becomes a platform seller (sellers and admins stay)."""
    user = await repository.get_user(session, user_id)
    if user is not None and user.platform_role == PlatformRole.BUYER:
        user.platform_role = PlatformRole.SELLER
        await core_repository.flush(session)


async def find_user(
    session: AsyncSession, *, email: str | None = None, phone: str | None = None
) -> User | None:
    """The user with this email, else with this E.164 phone number; None when neither
    matches."""
    if email:
        return await repository.user_by_email(session, email)
    return await repository.user_by_phone(session, phone) if phone else None


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await repository.get_user(session, user_id)


class InvalidCredentials(Unauthenticated):
    code, title = "invalid_credentials", "Invalid credentials"


class AccountExists(Conflict):
    code, title = "account_exists", "An account with this email or phone already exists"


class InvalidRefreshToken(Unauthenticated):
    code, title = "invalid_refresh_token", "Invalid or expired refresh token"


class RefreshTokenReused(InvalidRefreshToken):
    """A revoked token came back: its family is revoked, and that must stick."""

    keep_changes = True


@dataclass
class IdentityService:
    settings: Settings
    limiter: RateLimiter

    async def register(self, session: AsyncSession, data: RegisterIn, ip: str) -> User:
        """Create a buyer account. Raises `AccountExists` (409) when the email or phone is
        taken and `TooManyRequests` past the per-IP sign-up limit."""
        await self.limiter.hit(
            self.settings.register_per_ip_limit,
            "register-ip",
            ip,
            detail="Too many sign-ups from this network; try later",
        )
        email = data.email.lower() if data.email else None
        clauses = []
        if email:
            clauses.append(User.email == email)
        if data.phone:
            clauses.append(User.phone == data.phone)
        if await session.scalar(select(User.id).where(or_(*clauses)).limit(1)):
            raise AccountExists()
        user = User(
            email=email,
            phone=data.phone,
            password_hash=hash_password(data.password),
            full_name=data.full_name,
            preferred_language=data.preferred_language,
            currency=data.currency,
            country=data.country,
        )
        session.add(user)
        await session.flush()
        return user

    async def login(
        self, session: AsyncSession, identifier: str, password: str, ip: str
    ) -> TokenPair:
        """Password login by email or phone. Unknown user and wrong password answer alike.

        Raises `TooManyRequests` past the per-IP or per-account limit, `InvalidCredentials`.
        """
        user = await self.authenticate(session, identifier, password, ip)
        return await self.issue_tokens(session, user)

    async def authenticate(
        self, session: AsyncSession, identifier: str, password: str, ip: str
    ) -> User:
        """The active user with this email or phone and password, under the login rate
        limits (per IP and per account, the same counters for the API and the web pages).

        Raises `TooManyRequests` past a limit, `InvalidCredentials` for an unknown user, a
        wrong password or a disabled account (all three answer alike).
        """
        identifier = identifier.strip()
        await self.limiter.hit(
            self.settings.login_per_ip_limit,
            "login-ip",
            ip,
            detail="Too many login attempts; wait and try again",
        )
        await self.limiter.hit(
            self.settings.login_per_account_limit,
            "login-id",
            identifier.lower(),
            detail="Too many login attempts; wait and try again",
        )
        user = await self._find_by_identifier(session, identifier)
        ok = verify_password(password, user.password_hash if user else None)
        if not user or not ok or not user.is_active:
            raise InvalidCredentials("Email, phone or password is wrong")
        user.last_login_at = utcnow()
        return user

    async def _find_by_identifier(self, session: AsyncSession, identifier: str) -> User | None:
        if "@" in identifier:
            return await session.scalar(select(User).where(User.email == identifier.lower()))
        try:
            phone = normalize_e164(identifier)
        except ValueError:
            return None
        return await session.scalar(select(User).where(User.phone == phone))

    async def issue_tokens(
        self, session: AsyncSession, user: User, family_id: uuid.UUID | None = None
    ) -> TokenPair:
        """A new access token and a refresh token (in ``family_id``, or a new family)."""
        access, _ = encode_access_token(
            self.settings.secret_key,
            self.settings.jwt_algorithm,
            user.id,
            self.settings.access_token_ttl_s,
        )
        refresh = new_opaque_token()
        session.add(
            RefreshToken(
                user_id=user.id,
                token_hash=sha256_hex(refresh),
                family_id=family_id or uuid.uuid4(),
                expires_at=utcnow() + timedelta(seconds=self.settings.refresh_token_ttl_s),
            )
        )
        await session.flush()
        return TokenPair(
            access_token=access,
            expires_in=self.settings.access_token_ttl_s,
            refresh_token=refresh,
            refresh_expires_in=self.settings.refresh_token_ttl_s,
        )

    async def open_page_session(self, session: AsyncSession, user: User) -> uuid.UUID:
        """Start a browser login for ``user`` and return its family id, which the signed page
        cookie carries as its token version. The family is stored as one refresh-token row
        whose secret is thrown away: it can never be refreshed, only checked and revoked."""
        family_id = uuid.uuid4()
        session.add(
            RefreshToken(
                user_id=user.id,
                token_hash=sha256_hex(new_opaque_token()),
                family_id=family_id,
                expires_at=utcnow() + timedelta(seconds=self.settings.refresh_token_ttl_s),
            )
        )
        await session.flush()
        return family_id

    async def page_session_user(
        self, session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID
    ) -> User | None:
        """The user of a live browser login: active, and its family neither revoked (log out,
        disabled account) nor expired; None otherwise."""
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

    async def close_page_session(self, session: AsyncSession, family_id: uuid.UUID) -> None:
        """Log a browser out: its family is revoked, so a copy of the cookie stops working."""
        await self._revoke_family(session, family_id)

    async def refresh(self, session: AsyncSession, refresh_token: str) -> TokenPair:
        """Rotate a refresh token. A reused (already rotated) token revokes its whole family.

        Raises `InvalidRefreshToken` or `RefreshTokenReused` (both 401).
        """
        token = await session.scalar(
            select(RefreshToken)
            .where(RefreshToken.token_hash == sha256_hex(refresh_token))
            .with_for_update()
        )
        now = utcnow()
        if token is None:
            raise InvalidRefreshToken()
        if token.revoked_at is not None:
            await self._revoke_family(session, token.family_id)
            raise RefreshTokenReused("This refresh token was already used; sign in again")
        if token.expires_at <= now:
            raise InvalidRefreshToken()
        user = await session.get(User, token.user_id)
        if user is None or not user.is_active:
            raise InvalidRefreshToken()
        token.revoked_at = now
        return await self.issue_tokens(session, user, family_id=token.family_id)

    async def logout(self, session: AsyncSession, refresh_token: str) -> None:
        """Revoke the refresh token's family. Unknown tokens are ignored (idempotent)."""
        token = await session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == sha256_hex(refresh_token))
        )
        if token is not None:
            await self._revoke_family(session, token.family_id)

    async def _revoke_family(self, session: AsyncSession, family_id: uuid.UUID) -> None:
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    async def get_user(self, session: AsyncSession, user_id: uuid.UUID) -> User:
        user = await session.get(User, user_id)
        if user is None or not user.is_active:
            raise Unauthenticated()
        return user

    async def update_me(self, session: AsyncSession, user_id: uuid.UUID, patch: MePatch) -> User:
        user = await self.get_user(session, user_id)
        for field, value in patch.model_dump(exclude_unset=True).items():
            if value is None and field != "country":
                continue
            setattr(user, field, value)
        await session.flush()
        return user

    async def create_admin(
        self, session: AsyncSession, email: str, password: str, full_name: str
    ) -> User:
        """Create a platform admin, or promote the existing account with that email."""
        email = email.lower()
        user = await session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, full_name=full_name)
            session.add(user)
        user.password_hash = hash_password(password)
        user.platform_role = PlatformRole.ADMIN
        await session.flush()
        return user
