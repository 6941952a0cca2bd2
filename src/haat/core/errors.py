"""Errors as RFC 9457 problem details (``application/problem+json``).

Services raise the typed errors below; one set of handlers renders every error, including
FastAPI's validation errors and unknown routes, with a stable ``type`` code.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("haat.errors")


class HaatError(Exception):
    """Base of every expected error. ``code`` becomes the problem ``type``."""

    status = 400
    code = "bad_request"
    title = "Bad request"
    keep_changes = False

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra
        self.headers: dict[str, str] = {}


class Unauthenticated(HaatError):
    status, code, title = 401, "unauthenticated", "Authentication required"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = "Bearer"


class Forbidden(HaatError):
    status, code, title = 403, "forbidden", "Not allowed"


class NotFound(HaatError):
    status, code, title = 404, "not_found", "Not found"


class Conflict(HaatError):
    status, code, title = 409, "conflict", "Conflict"


class InvalidTransition(Conflict):
    code, title = "invalid_transition", "This change of status is not allowed now"


class PayloadTooLarge(HaatError):
    status, code, title = 413, "payload_too_large", "Payload too large"


class UnsupportedMediaType(HaatError):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


class Unprocessable(HaatError):
    """A request that parsed but breaks a rule checked by a service (422)."""

    status, code, title = 422, "unprocessable", "Unprocessable request"


class TooManyRequests(HaatError):
    status, code, title = 429, "rate_limited", "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: int, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.retry_after = max(1, int(retry_after))
        self.headers["Retry-After"] = str(self.retry_after)


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """The body of every error response."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


def problem_response(
    request: Request, status: int, code: str, title: str, detail: str, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entry documenting the given error statuses as problems."""
    text = {
        400: "Bad request",
        401: "Not authenticated",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict with the current state",
        413: "Payload too large",
        415: "Unsupported media type",
        422: "Validation error",
        429: "Rate limited (see Retry-After)",
        503: "Unavailable",
    }
    codes = set(statuses)
    if 422 in codes:
        codes.add(400)  # a body that cannot be parsed at all
    return {
        s: {"model": Problem, "description": text.get(s, "Error"), "content": {PROBLEM_JSON: {}}}
        for s in sorted(codes)
    }


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path, asked of the router itself (Starlette
    names only the first matching route's methods)."""
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    return [
        method
        for method in methods
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Render every error as problem+json."""

    @app.exception_handler(HaatError)
    async def _haat(request: Request, exc: HaatError) -> JSONResponse:
        resp = problem_response(request, exc.status, exc.code, exc.title, exc.detail, **exc.extra)
        resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return problem_response(
            request,
            422,
            "validation_error",
            "Validation error",
            "The request has invalid fields; see errors.",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        resp = problem_response(request, exc.status_code, code, str(exc.detail), str(exc.detail))
        if exc.headers:
            resp.headers.update(exc.headers)
        if exc.status_code == 405:
            resp.headers["Allow"] = ", ".join(_allowed_methods(request))
        return resp

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            request,
            500,
            "internal_error",
            "Internal server error",
            "Something went wrong on our side; it has been logged.",
        )

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        # Text the database cannot store (a NUL character, a broken encoding) is the
        # client's input error, not ours: SQLSTATE 22021 / 22P05.
        if getattr(exc.orig, "sqlstate", None) in {"22021", "22P05"}:
            return problem_response(
                request,
                422,
                "invalid_characters",
                "Invalid characters",
                "The request contains characters that cannot be stored (such as NUL).",
            )
        return await _unexpected(request, exc)
