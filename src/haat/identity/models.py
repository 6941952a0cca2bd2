"""Identity tables: users, refresh tokens and phone OTP challenges."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, TimestampMixin, enum_type


class PlatformRole(enum.StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    ADMIN = "admin"


class User(TimestampMixin, Base):
    __tablename__ = "users"

    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(16), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    country: Mapped[str | None] = mapped_column(String(2))
    platform_role: Mapped[PlatformRole] = mapped_column(
        enum_type(PlatformRole, 16),
        default=PlatformRole.BUYER,
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    phone_verified_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class RefreshToken(IdMixin, Base):
    """A rotating refresh token, stored as its SHA-256. Tokens of one login share a family;
    presenting a revoked token revokes the whole family (token theft)."""

    __tablename__ = "refresh_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class OtpChallenge(IdMixin, Base):
    """A one-time code sent to a phone, stored as an HMAC of the code."""

    __tablename__ = "otp_challenges"
    __table_args__ = (Index("ix_otp_challenges_phone_created", "phone", "created_at"),)

    phone: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    consumed_at: Mapped[datetime | None]
    requested_ip: Mapped[str | None] = mapped_column(String(45))
