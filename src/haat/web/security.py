"""Security of the pages: the session cookie's key, CSRF tokens, and the response headers
(Content-Security-Policy and friends).

* The session is Starlette's signed cookie (itsdangerous, HMAC-SHA1 with a key derived from
  ``SECRET_KEY``; HttpOnly, SameSite=Lax, Secure when ``HAAT_ENV=production``). It carries
  the user id, the login's family id (its token version: logging out revokes the family, so
  a copied cookie stops working) and the CSRF secret.
* CSRF: one random secret per session; every form carries it masked with a fresh one-time
  pad (so that a compressed page never repeats its bytes, against BREACH), HTMX requests send
  it in ``X-CSRF-Token``. Unsafe methods without a matching token are refused (403).
* CSP: scripts, styles, images, fonts and connections from this origin only; no inline script,
  no inline style, no eval, no framing, forms post to this origin only.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from haat.core.errors import Forbidden
from haat.core.security import constant_time_equals, keyed_hash

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SESSION_KEY = "csrf"
_SECRET_BYTES = 32
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Paths whose HTML is not ours (Swagger UI needs its inline script).
_NO_CSP_PREFIXES = ("/docs",)


class CsrfRefused(Forbidden):
    code, title = "csrf_refused", "The form has expired or did not come from this site"


def cookie(request: Request) -> dict[str, Any]:
    """The data of the request's signed session cookie (Starlette's ``request.session``, not
    a database session): the login, the CSRF secret, the language and currency chosen, the
    flashed messages."""
    return request.session


def session_signing_key(secret_key: str) -> str:
    """A key for the session cookie derived from ``SECRET_KEY`` (HMAC-SHA256 with a purpose
    label), so that the cookie and the JWTs never share a key."""
    return keyed_hash(secret_key, "haat.web.session-cookie")


def _csrf_secret(request: Request) -> bytes:
    stored = cookie(request).get(_SESSION_KEY)
    if isinstance(stored, str):
        try:
            raw = base64.urlsafe_b64decode(stored)
            if len(raw) == _SECRET_BYTES:
                return raw
        except (binascii.Error, ValueError):
            pass
    raw = secrets.token_bytes(_SECRET_BYTES)
    cookie(request)[_SESSION_KEY] = base64.urlsafe_b64encode(raw).decode()
    return raw


def csrf_token(request: Request) -> str:
    """A masked token for a form or an HTMX header: ``pad || (pad XOR secret)``, base64url."""
    secret = _csrf_secret(request)
    pad = secrets.token_bytes(_SECRET_BYTES)
    masked = bytes(a ^ b for a, b in zip(pad, secret, strict=True))
    return base64.urlsafe_b64encode(pad + masked).decode()


def _unmask(token: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 2 * _SECRET_BYTES:
        return None
    pad, masked = raw[:_SECRET_BYTES], raw[_SECRET_BYTES:]
    return bytes(a ^ b for a, b in zip(pad, masked, strict=True))


def rotate_csrf(request: Request) -> None:
    """A new CSRF secret (at log in and log out), so a token seen before is worthless."""
    cookie(request).pop(_SESSION_KEY, None)
    _csrf_secret(request)


async def verify_csrf(request: Request) -> None:
    """FastAPI dependency of every page router: for unsafe methods, the token from the
    ``X-CSRF-Token`` header or the ``csrf_token`` form field must match the session's secret.
    Raises `CsrfRefused` (403) otherwise."""
    if request.method in SAFE_METHODS:
        return
    token = request.headers.get(CSRF_HEADER)
    if token is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
    stored = cookie(request).get(_SESSION_KEY)
    given = _unmask(token) if token else None
    if not isinstance(stored, str) or given is None:
        raise CsrfRefused()
    if not constant_time_equals(base64.urlsafe_b64encode(given).decode(), stored):
        raise CsrfRefused()


class SecurityHeadersMiddleware:
    """Adds the CSP to every HTML response (but Swagger UI's) and, to every response,
    ``X-Content-Type-Options: nosniff``, ``Referrer-Policy`` and framing refusal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                html = headers.get("content-type", "").startswith("text/html")
                if html and not path.startswith(_NO_CSP_PREFIXES):
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_wrapper)
