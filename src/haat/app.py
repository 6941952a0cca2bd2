"""The application factory: the wiring, the middleware, the routers, the pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from haat import __version__, wiring
from haat.config import Settings, get_settings
from haat.core.cache import PublicCacheMiddleware
from haat.core.deps import WIRING
from haat.core.errors import install_error_handlers
from haat.core.logging import configure_logging
from haat.core.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from haat.core.ops import install_ops
from haat.core.sms import SmsSender
from haat.routers import API_ROUTERS, PUBLIC_PREFIXES
from haat.web.setup import install_web


def create_app(settings: Settings | None = None, *, sms: SmsSender | None = None) -> FastAPI:
    """Build the Haat ASGI app. ``sms`` replaces the logging SMS sender (tests, gateways)."""
    settings = settings or get_settings()
    configure_logging(settings.log_format, settings.log_level)
    wired = wiring.build(settings, sms)
    app = FastAPI(
        title="Haat",
        version=__version__,
        description="Commerce for small businesses and artisans: catalogue with approvals, "
        "search, identity. Errors are RFC 9457 problem+json.",
        lifespan=wired.lifespan,
        docs_url=None,  # served by install_ops from the packaged Swagger UI, not from a CDN
        redoc_url=None,
    )
    setattr(app.state, WIRING, wired)
    install_error_handlers(app)
    # A photo plus the multipart envelope; every other body is far smaller.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_upload_bytes + 2**20)
    app.add_middleware(PublicCacheMiddleware, cache=wired.cache, prefixes=PUBLIC_PREFIXES)
    app.add_middleware(RequestContextMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    for router in API_ROUTERS:
        app.include_router(router)
    install_ops(app)
    # Socket.IO (Engine.IO answers under /socket.io/); see haat.chat.realtime.
    app.mount("/socket.io", wired.chat.asgi, name="socket.io")
    media = StaticFiles(directory=settings.upload_dir, check_dir=False)
    app.mount(settings.media_url.rstrip("/"), media, name="media")
    install_web(app, settings)
    return app
