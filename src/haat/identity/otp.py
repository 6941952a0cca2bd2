"""Phone OTP login (the smart-cart use case): a 6-digit code by SMS, then tokens.

Rules: codes live 5 minutes, are stored as an HMAC, allow 5 wrong attempts, and a new code
for the same phone can be asked for once a minute; per-phone and per-IP limits cap requests.
The first successful verify of a phone creates its account.
"""

from __future__ import annotations

import math
import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from haat.config import Settings
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import TooManyRequests, Unauthenticated
from haat.core.ratelimit import RateLimiter
from haat.core.security import constant_time_equals, keyed_hash
from haat.core.sms import SmsSender
from haat.identity import repository
from haat.identity import service as identity
from haat.identity.models import OtpChallenge, User
from haat.identity.schemas import OtpRequestOut, TokenPair


class InvalidOtp(Unauthenticated):
    """A wrong code: the attempt is counted, so the change is committed."""

    code, title = "invalid_otp", "The code is wrong or has expired"
    keep_changes = True


def _new_code(settings: Settings) -> str:
    if settings.haat_env == "dev":
        return settings.otp_dev_code
    return f"{secrets.randbelow(1_000_000):06d}"


async def request_code(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    sms: SmsSender,
    phone: str,
    ip: str,
) -> OtpRequestOut:
    """Send a new code to ``phone`` (E.164). Raises `TooManyRequests` (with Retry-After)
    inside the resend cooldown or past the per-phone or per-IP limits."""
    now = utcnow()
    latest = await repository.newest_challenge(session, phone)
    cooldown = timedelta(seconds=settings.otp_resend_cooldown_s)
    if latest is not None and latest.created_at + cooldown > now:
        wait = (latest.created_at + cooldown - now).total_seconds()
        raise TooManyRequests("Wait before asking for a new code", retry_after=math.ceil(wait))
    await limiter.hit(
        settings.otp_per_ip_limit, "otp-ip", ip, detail="Too many codes asked from this network"
    )
    await limiter.hit(
        settings.otp_per_phone_limit,
        "otp-phone",
        phone,
        detail="Too many codes asked for this number",
    )
    await repository.consume_challenges(session, phone, now)  # only the newest code is valid
    code = _new_code(settings)
    challenge = OtpChallenge(
        phone=phone,
        code_hash=keyed_hash(settings.secret_key, f"{phone}:{code}"),
        expires_at=now + timedelta(seconds=settings.otp_ttl_s),
        requested_ip=ip,
        created_at=now,
    )
    await core_repository.add(session, challenge)
    minutes = settings.otp_ttl_s // 60
    await sms.send(phone, f"{code} is your Haat login code. It expires in {minutes} minutes.")
    return OtpRequestOut(
        phone=phone,
        expires_in=settings.otp_ttl_s,
        resend_after=settings.otp_resend_cooldown_s,
    )


async def verify_code(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    phone: str,
    code: str,
    ip: str,
) -> TokenPair:
    """Log in with the newest code sent to ``phone``; create the user on first verify.

    Raises `InvalidOtp` (401) for a wrong, expired or missing code and `TooManyRequests` once
    the code has used up its attempts (a new code must be asked for).
    """
    user = await verify(session, settings, limiter, phone, code, ip)
    return await identity.issue_tokens(session, settings, user)


async def verify(
    session: AsyncSession,
    settings: Settings,
    limiter: RateLimiter,
    phone: str,
    code: str,
    ip: str,
) -> User:
    """The user the newest code sent to ``phone`` logs in (created on the first verify),
    under the same per-IP limit for the API and the web pages. Raises as `verify_code`."""
    await limiter.hit(
        settings.login_per_ip_limit,
        "otp-verify-ip",
        ip,
        detail="Too many attempts from this network",
    )
    now = utcnow()
    challenge = await repository.newest_challenge(session, phone, unconsumed=True, for_update=True)
    if challenge is None or challenge.expires_at <= now:
        raise InvalidOtp("The code is wrong or has expired; ask for a new one")
    if challenge.attempts >= settings.otp_max_attempts:
        wait = (challenge.created_at - now).total_seconds() + settings.otp_resend_cooldown_s
        raise TooManyRequests(
            "Too many wrong codes; ask for a new code", retry_after=max(1, math.ceil(wait))
        )
    expected = keyed_hash(settings.secret_key, f"{phone}:{code}")
    if not constant_time_equals(expected, challenge.code_hash):
        challenge.attempts += 1
        left = settings.otp_max_attempts - challenge.attempts
        raise InvalidOtp(f"The code is wrong; {left} attempts left", attempts_left=left)
    challenge.consumed_at = now
    user = await repository.user_by_phone(session, phone)
    if user is None:
        user = User(phone=phone, phone_verified_at=now)
        await core_repository.add(session, user)
    elif not user.is_active:
        raise Unauthenticated("This account is disabled")
    user.phone_verified_at = user.phone_verified_at or now
    user.last_login_at = now
    return user
