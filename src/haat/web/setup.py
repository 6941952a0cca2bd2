"""Mounting the web UI on the app: middleware, static files, page routers, HTML errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware

from haat.config import Settings
from haat.core.errors import HaatError, Unauthenticated
from haat.web import i18n
from haat.web.messages import error_message
from haat.web.routes import (
    account,
    admin,
    assistant,
    chat,
    seller_jewellery,
    seller_khata,
    seller_members,
    seller_orders,
    seller_products,
    store,
    store_payments,
    store_stripe,
)
from haat.web.security import SecurityHeadersMiddleware, session_signing_key
from haat.web.static_files import PrecompressedStaticFiles
from haat.web.templating import STATIC_URL, render
from haat.web.viewer import Viewer, choose_language, local_path, safe_next

STATIC_DIR = __file__.rsplit("/", 1)[0] + "/static"
SESSION_COOKIE = "haat_session"
# Paths that are not pages: their errors stay problem+json.
_NOT_PAGES = ("/api/", "/api", "/docs", "/openapi.json", "/metrics", "/media/", "/static/")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(_NOT_PAGES)


def _viewer_for_error(request: Request) -> Viewer:
    viewer = getattr(request.state, "viewer", None)
    if isinstance(viewer, Viewer):
        return viewer
    return Viewer(request=request, user=None, lang=choose_language(request, None))


def _error_page(request: Request, status: int, code: str, detail: str) -> Response:
    viewer = _viewer_for_error(request)
    message = error_message(viewer, code, detail, status)
    return render(viewer, "error.html", {"status": status, "message": message}, status_code=status)


def install_web(app: FastAPI, settings: Settings) -> None:
    """Add the pages to ``app``. Call after the API's routers and error handlers."""
    i18n.load_all()
    for module in (
        account,
        store,
        assistant,
        chat,
        store_payments,
        seller_jewellery,  # before seller_products: its /products/{id}/{action} is greedier
        store_stripe,
        seller_products,
        seller_orders,
        seller_khata,
        seller_members,
        admin,
    ):
        app.include_router(module.router)
    app.include_router(store_payments.callback_router)
    app.mount(STATIC_URL, PrecompressedStaticFiles(directory=STATIC_DIR), name="web-static")

    problem_handlers: dict[Any, Any] = dict(app.exception_handlers)

    async def haat_error(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await problem_handlers[HaatError](request, exc)
        assert isinstance(exc, HaatError)
        if isinstance(exc, Unauthenticated):
            back = local_path(request) if request.method == "GET" else "/"
            target = safe_next(back)
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        response = _error_page(request, exc.status, exc.code, exc.detail)
        response.headers.update(exc.headers)
        return response

    async def http_error(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await problem_handlers[StarletteHTTPException](request, exc)
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error_page(request, exc.status_code, code, str(exc.detail))

    async def validation_error(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await problem_handlers[RequestValidationError](request, exc)
        return _error_page(request, 422, "validation_error", "Invalid request")

    app.add_exception_handler(HaatError, haat_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)

    # Outermost last: gzip everything, sign the session, then the security headers.
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_signing_key(settings.secret_key),
        session_cookie=SESSION_COOKIE,
        max_age=settings.refresh_token_ttl_s,
        same_site="lax",
        https_only=settings.haat_env == "production",
    )
    app.add_middleware(GZipMiddleware, minimum_size=500)
