"""Password hashing (argon2id), JWT access tokens and hashing of opaque secrets."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from haat.core.db import utcnow

# argon2-cffi's defaults follow RFC 9106's second recommended option (argon2id, 64 MiB, t=3).
_hasher = PasswordHasher()
# A hash to verify against when the user does not exist, so that both paths cost the same.
_DUMMY_HASH = _hasher.hash("haat-timing-equaliser")


def hash_password(password: str) -> str:
    """An argon2id hash (PHC string) of ``password``."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; runs a full verification even without a hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_opaque_token(nbytes: int = 32) -> str:
    """A URL-safe random token (``nbytes`` of entropy)."""
    return secrets.token_urlsafe(nbytes)


def sha256_hex(value: str) -> str:
    """SHA-256 of a high-entropy secret, for storing refresh tokens and API keys."""
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_hash(secret_key: str, value: str) -> str:
    """HMAC-SHA256 of a low-entropy secret (an OTP code) under the server key."""
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def encode_access_token(
    secret_key: str, algorithm: str, user_id: uuid.UUID, ttl_s: int, **claims: Any
) -> tuple[str, datetime]:
    """A signed JWT access token for ``user_id`` and its expiry (UTC)."""
    now = utcnow()
    expires = now + timedelta(seconds=ttl_s)
    payload = {
        "sub": str(user_id),
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "typ": "access",
        **claims,
    }
    return jwt.encode(payload, secret_key, algorithm=algorithm), expires


def decode_access_token(secret_key: str, algorithm: str, token: str) -> dict[str, Any]:
    """The claims of a valid access token; raises ``jwt.InvalidTokenError`` otherwise."""
    claims: dict[str, Any] = jwt.decode(
        token, secret_key, algorithms=[algorithm], options={"require": ["sub", "exp", "typ"]}
    )
    if claims.get("typ") != "access":
        raise jwt.InvalidTokenError("not an access token")
    return claims
