"""Phone OTP login (the smart-cart use case): a 6-digit code by SMS, then tokens.

Rules: codes live 5 minutes, are stored as an HMAC, allow 5 wrong attempts, and a new code
for the same phone can be asked for once a minute; per-phone and per-IP limits cap requests.
The first successful verify of a phone creates its account.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from haat.config import Settings
from haat.core.db import utcnow
from haat.core.errors import TooManyRequests, Unauthenticated
from haat.core.ratelimit import RateLimiter
from haat.core.security import constant_time_equals, keyed_hash
from haat.core.sms import SmsSender
from haat.identity.models import OtpChallenge, User
from haat.identity.schemas import OtpRequestOut, TokenPair
from haat.identity.service import IdentityService


class InvalidOtp(Unauthenticated):
    """A wrong code: the attempt is counted, so the change is committed."""

    code, title = "invalid_otp", "The code is wrong or has expired"
    keep_changes = True


@dataclass
class OtpService:
    settings: Settings
    limiter: RateLimiter
    sms: SmsSender
    identity: IdentityService

    def _new_code(self) -> str:
        if self.settings.haat_env == "dev":
            return self.settings.otp_dev_code
        return f"{secrets.randbelow(1_000_000):06d}"

    async def request_code(self, session: AsyncSession, phone: str, ip: str) -> OtpRequestOut:
        """Send a new code to ``phone`` (E.164). Raises `TooManyRequests` (with Retry-After)
        inside the resend cooldown or past the per-phone or per-IP limits."""
        now = utcnow()
        latest = await session.scalar(
            select(OtpChallenge)
            .where(OtpChallenge.phone == phone)
            .order_by(OtpChallenge.created_at.desc())
            .limit(1)
        )
        cooldown = timedelta(seconds=self.settings.otp_resend_cooldown_s)
        if latest is not None and latest.created_at + cooldown > now:
            wait = (latest.created_at + cooldown - now).total_seconds()
            raise TooManyRequests("Wait before asking for a new code", retry_after=math.ceil(wait))
        await self.limiter.hit(
            self.settings.otp_per_ip_limit,
            "otp-ip",
            ip,
            detail="Too many codes asked from this network",
        )
        await self.limiter.hit(
            self.settings.otp_per_phone_limit,
            "otp-phone",
            phone,
            detail="Too many codes asked for this number",
        )
        # Only the newest code of a phone is valid.
        await session.execute(
            update(OtpChallenge)
            .where(OtpChallenge.phone == phone, OtpChallenge.consumed_at.is_(None))
            .values(consumed_at=now)
        )
        code = self._new_code()
        session.add(
            OtpChallenge(
                phone=phone,
                code_hash=keyed_hash(self.settings.secret_key, f"{phone}:{code}"),
                expires_at=now + timedelta(seconds=self.settings.otp_ttl_s),
                requested_ip=ip,
                created_at=now,
            )
        )
        await session.flush()
        minutes = self.settings.otp_ttl_s // 60
        await self.sms.send(
            phone, f"{code} is your Haat login code. It expires in {minutes} minutes."
        )
        return OtpRequestOut(
            phone=phone,
            expires_in=self.settings.otp_ttl_s,
            resend_after=self.settings.otp_resend_cooldown_s,
        )

    async def verify_code(self, session: AsyncSession, phone: str, code: str, ip: str) -> TokenPair:
        """Log in with the newest code sent to ``phone``; create the user on first verify.

        Raises `InvalidOtp` (401) for a wrong, expired or missing code and `TooManyRequests`
        once the code has used up its attempts (a new code must be asked for).
        """
        user = await self.verify(session, phone, code, ip)
        return await self.identity.issue_tokens(session, user)

    async def verify(self, session: AsyncSession, phone: str, code: str, ip: str) -> User:
        """The user the newest code sent to ``phone`` logs in (created on the first verify),
        under the same per-IP limit for the API and the web pages. Raises as `verify_code`."""
        await self.limiter.hit(
            self.settings.login_per_ip_limit,
            "otp-verify-ip",
            ip,
            detail="Too many attempts from this network",
        )
        now = utcnow()
        challenge = await session.scalar(
            select(OtpChallenge)
            .where(OtpChallenge.phone == phone, OtpChallenge.consumed_at.is_(None))
            .order_by(OtpChallenge.created_at.desc())
            .limit(1)
            .with_for_update()
        )
        if challenge is None or challenge.expires_at <= now:
            raise InvalidOtp("The code is wrong or has expired; ask for a new one")
        if challenge.attempts >= self.settings.otp_max_attempts:
            wait = (
                challenge.created_at - now
            ).total_seconds() + self.settings.otp_resend_cooldown_s
            raise TooManyRequests(
                "Too many wrong codes; ask for a new code", retry_after=max(1, math.ceil(wait))
            )
        expected = keyed_hash(self.settings.secret_key, f"{phone}:{code}")
        if not constant_time_equals(expected, challenge.code_hash):
            challenge.attempts += 1
            left = self.settings.otp_max_attempts - challenge.attempts
            raise InvalidOtp(f"The code is wrong; {left} attempts left", attempts_left=left)
        challenge.consumed_at = now
        user = await session.scalar(select(User).where(User.phone == phone))
        if user is None:
            user = User(phone=phone, phone_verified_at=now)
            session.add(user)
            await session.flush()
        elif not user.is_active:
            raise Unauthenticated("This account is disabled")
        user.phone_verified_at = user.phone_verified_at or now
        user.last_login_at = now
        return user
