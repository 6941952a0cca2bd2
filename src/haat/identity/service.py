"""Identity rules: registration, password login, tokens, browser logins, profile. OTP login is
in `otp.py`, platform staff's view of users in `admin.py`.

Functions take the session first; those that apply a rate limit or sign a token take the
settings and the limiter as well (routes get them as `AppSettings` and `Limiter`).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

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


class InvalidCredentials(Unauthenticated):
    code, title = "invalid_credentials", "Invalid credentials"


class AccountExists(Conflict):
    code, title = "account_exists", "An account with this email or phone already exists"


class InvalidRefreshToken(Unauthenticated):
    code, title = "invalid_refresh_token", "Invalid or expired refresh token"


class RefreshTokenReused(InvalidRefreshToken):
    """A revoked token came back: its family is revoked, and that must stick."""

    keep_changes = True


async def register(
    session: AsyncSession, settings: Settings, limiter: RateLimiter, data: RegisterIn, ip: str
) -> User:
    """Create a buyer account. Raises `AccountExists` (409) when the email or phone is taken
    and `TooManyRequests` past the per-IP sign-up limit."""
    await limiter.hit(
        settings.register_per_ip_limit,
        "register-ip",
        ip,
        detail="Too many sign-ups from this network; try later",
    )
    email = data.email.lower() if data.email else None
    if await repository.taken(session, email, data.phone):
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
    await core_repository.add(session, user)
    return user


async def login(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    identifier: str,
    password: str,
    ip: str,
) -> TokenPair:
    """Password login by email or phone. Unknown user and wrong password answer alike.

    Raises `TooManyRequests` past the per-IP or per-account limit, `InvalidCredentials`.
    """
    user = await authenticate(session, settings, limiter, identifier, password, ip)
    return await issue_tokens(session, settings, user)


async def authenticate(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    identifier: str,
    password: str,
    ip: str,
) -> User:
    """The active user with this email or phone and password, under the login rate limits
    (per IP and per account, the same counters for the API and the web pages).

    Raises `TooManyRequests` past a limit, `InvalidCredentials` for an unknown user, a wrong
    password or a disabled account (all three answer alike).
    """
    identifier = identifier.strip()
    await limiter.hit(
        settings.login_per_ip_limit,
        "login-ip",
        ip,
        detail="Too many login attempts; wait and try again",
    )
    await limiter.hit(
        settings.login_per_account_limit,
        "login-id",
        identifier.lower(),
        detail="Too many login attempts; wait and try again",
    )
    user = await _find_by_identifier(session, identifier)
    ok = verify_password(password, user.password_hash if user else None)
    if not user or not ok or not user.is_active:
        raise InvalidCredentials("Email, phone or password is wrong")
    user.last_login_at = utcnow()
    return user


async def _find_by_identifier(session: AsyncSession, identifier: str) -> User | None:
    if "@" in identifier:
        return await repository.user_by_email(session, identifier)
    try:
        phone = normalize_e164(identifier)
    except ValueError:
        return None
    return await repository.user_by_phone(session, phone)


def _family_row(settings: Settings, user: User, token: str, family_id: uuid.UUID) -> RefreshToken:
    return RefreshToken(
        user_id=user.id,
        token_hash=sha256_hex(token),
        family_id=family_id,
        expires_at=utcnow() + timedelta(seconds=settings.refresh_token_ttl_s),
    )


async def issue_tokens(
    session: AsyncSession, settings: Settings, user: User, family_id: uuid.UUID | None = None
) -> TokenPair:
    """A new access token and a refresh token (in ``family_id``, or a new family)."""
    access, _ = encode_access_token(
        settings.secret_key, settings.jwt_algorithm, user.id, settings.access_token_ttl_s
    )
    refresh_token = new_opaque_token()
    row = _family_row(settings, user, refresh_token, family_id or uuid.uuid4())
    await core_repository.add(session, row)
    return TokenPair(
        access_token=access,
        expires_in=settings.access_token_ttl_s,
        refresh_token=refresh_token,
        refresh_expires_in=settings.refresh_token_ttl_s,
    )


async def open_page_session(session: AsyncSession, settings: Settings, user: User) -> uuid.UUID:
    """Start a browser login for ``user`` and return its family id, which the signed page
    cookie carries as its token version. The family is stored as one refresh-token row whose
    secret is thrown away: it can never be refreshed, only checked and revoked."""
    family_id = uuid.uuid4()
    await core_repository.add(session, _family_row(settings, user, new_opaque_token(), family_id))
    return family_id


async def page_session_user(
    session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID
) -> User | None:
    """The user of a live browser login: active, and its family neither revoked (log out,
    disabled account) nor expired; None otherwise."""
    return await repository.live_family_user(session, user_id, family_id)


async def close_page_session(session: AsyncSession, family_id: uuid.UUID) -> None:
    """Log a browser out: its family is revoked, so a copy of the cookie stops working."""
    await repository.revoke_family(session, family_id)


async def refresh(session: AsyncSession, settings: Settings, refresh_token: str) -> TokenPair:
    """Rotate a refresh token. A reused (already rotated) token revokes its whole family.

    Raises `InvalidRefreshToken` or `RefreshTokenReused` (both 401).
    """
    token = await repository.refresh_token_by_hash(
        session, sha256_hex(refresh_token), for_update=True
    )
    now = utcnow()
    if token is None:
        raise InvalidRefreshToken()
    if token.revoked_at is not None:
        await repository.revoke_family(session, token.family_id)
        raise RefreshTokenReused("This refresh token was already used; sign in again")
    if token.expires_at <= now:
        raise InvalidRefreshToken()
    user = await repository.get_user(session, token.user_id)
    if user is None or not user.is_active:
        raise InvalidRefreshToken()
    token.revoked_at = now
    return await issue_tokens(session, settings, user, family_id=token.family_id)


async def logout(session: AsyncSession, refresh_token: str) -> None:
    """Revoke the refresh token's family. Unknown tokens are ignored (idempotent)."""
    token = await repository.refresh_token_by_hash(session, sha256_hex(refresh_token))
    if token is not None:
        await repository.revoke_family(session, token.family_id)


async def revoke_logins(session: AsyncSession, user_id: uuid.UUID) -> None:
    """End every login of a user (API refresh tokens and browser sessions)."""
    await repository.revoke_all_of(session, user_id)


async def active_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    """The signed-in user; `Unauthenticated` (401) when gone or disabled."""
    user = await repository.get_user(session, user_id)
    if user is None or not user.is_active:
        raise Unauthenticated()
    return user


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """Any user by id, active or not (for other domains showing who did something)."""
    return await repository.get_user(session, user_id)


async def find_user(
    session: AsyncSession, *, email: str | None = None, phone: str | None = None
) -> User | None:
    """The user with this email, else with this E.164 phone number; None when neither
    matches."""
    if email:
        return await repository.user_by_email(session, email)
    return await repository.user_by_phone(session, phone) if phone else None


async def update_me(session: AsyncSession, user_id: uuid.UUID, patch: MePatch) -> User:
    """Change the signed-in user's name, language, currency or country (null clears only the
    country). Raises 401 when the account is gone or disabled."""
    user = await active_user(session, user_id)
    for field, value in patch.model_dump(exclude_unset=True).items():
        if value is None and field != "country":
            continue
        setattr(user, field, value)
    await core_repository.flush(session)
    return user


async def promote_to_seller(session: AsyncSession, user_id: uuid.UUID) -> None:
    """A buyer who opens a business becomes a platform seller (sellers and admins stay)."""
    user = await repository.get_user(session, user_id)
    if user is not None and user.platform_role == PlatformRole.BUYER:
        user.platform_role = PlatformRole.SELLER
        await core_repository.flush(session)


async def create_admin(session: AsyncSession, email: str, password: str, full_name: str) -> User:
    """Create a platform admin, or promote the existing account with that email."""
    user = await repository.user_by_email(session, email)
    if user is None:
        user = User(email=email.lower(), full_name=full_name)
        await core_repository.add(session, user, flush=False)
    user.password_hash = hash_password(password)
    user.platform_role = PlatformRole.ADMIN
    await core_repository.flush(session)
    return user
