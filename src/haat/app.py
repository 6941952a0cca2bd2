"""The application factory: settings, database, services, routers, errors, media, metrics."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from swagger_ui_bundle import swagger_ui_path

from haat import __version__
from haat.assistant.router import router as assistant_router
from haat.assistant.service import AssistantService
from haat.assistant.tasks import EmbeddingRefresher
from haat.businesses.router import clusters_router
from haat.businesses.router import router as businesses_router
from haat.catalog.router import categories_router
from haat.catalog.router import router as products_router
from haat.chat.language import warm_up as warm_up_language_detector
from haat.chat.realtime import ChatHub
from haat.chat.router import router as chat_router
from haat.chat.translation import TranslationService, make_translator
from haat.commerce.router import cart_router, favorites_router, orders_router, tax_router
from haat.config import Settings, get_settings
from haat.core.cache import PublicCache, PublicCacheMiddleware
from haat.core.db import Database
from haat.core.errors import install_error_handlers
from haat.core.events import EventBuffer, Row
from haat.core.health import HealthRegistry, HealthReport, database_check
from haat.core.logging import configure_logging
from haat.core.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from haat.core.ratelimit import RateLimiter
from haat.core.sms import LogSmsSender, SmsSender
from haat.core.storage import LocalStorage
from haat.core.tasks import JobRunner
from haat.customers.router import customers_router, khata_router
from haat.fx.router import router as fx_router
from haat.identity.otp import OtpService
from haat.identity.router import router as auth_router
from haat.identity.service import IdentityService
from haat.insights.recorder import replay_cached, store_writer
from haat.insights.router import router as insights_router
from haat.ml.serving import Champions
from haat.payments.providers import Providers
from haat.payments.router import order_money_router, payments_router
from haat.pricing.predictions_router import router as predictions_router
from haat.pricing.router import jewellery_router, rates_router, trends_router
from haat.pricing.tasks import MODELS as PREDICTION_MODELS
from haat.quality.router import router as quality_router
from haat.web.setup import install_web

SWAGGER_STATIC = "/static/swagger-ui"
# Anonymous GETs under these paths may be answered from the public cache.
PUBLIC_PREFIXES = ("/api/products", "/api/categories", "/api/clusters", "/api/businesses")


@dataclass
class Services:
    """Long-lived services that hold collaborators (settings, limiter, SMS sender)."""

    identity: IdentityService
    otp: OtpService


def create_app(settings: Settings | None = None, *, sms: SmsSender | None = None) -> FastAPI:
    """Build the Haat ASGI app. ``sms`` replaces the logging SMS sender (tests, gateways)."""
    settings = settings or get_settings()
    configure_logging(settings.log_format, settings.log_level)
    db = Database(settings.database_url, pool_size=settings.db_pool_size)
    limiter = RateLimiter(settings.redis_url)
    identity = IdentityService(settings, limiter)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)

    cache = PublicCache(settings.public_cache_ttl_s, redis_url=settings.redis_url)
    db.commit_hooks.append(cache.tables_committed)
    jobs = JobRunner(settings)
    champions = Champions(db, settings.model_dir, settings.ml_reload_interval_s)
    db.commit_hooks.append(champions.tables_committed)
    refresher = EmbeddingRefresher(settings, db, jobs)
    db.commit_hooks.append(refresher.tables_committed)
    payments = Providers(settings)
    events = EventBuffer(
        store_writer(db),
        batch_size=settings.events_batch_size,
        flush_interval_s=settings.events_flush_interval_s,
        max_pending=settings.events_max_pending,
    )

    def replay_events(rows: list[Row], headers: list[tuple[bytes, bytes]]) -> None:
        for row in replay_cached(rows, headers):
            events.add(row)

    cache.on_hit = replay_events
    chat = ChatHub(
        settings,
        db,
        TranslationService(db, make_translator(settings), settings.translation_timeout_s),
        limiter,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await cache.start()
        jobs.start()
        events.start()
        # Lingua's models load in a thread so the first chat message does not wait for them.
        chat.spawn(anyio.to_thread.run_sync(warm_up_language_detector))
        await champions.preload(PREDICTION_MODELS)
        if settings.haat_env != "test":
            # What is loaded by now lives as long as the worker: out of the cyclic collector's
            # way (gc.freeze), a full collection under load walks only what requests made.
            # Not in tests, which start many apps in one process.
            gc.collect()
            gc.freeze()
        yield
        await chat.drain()
        await chat.translations.aclose()
        await events.stop()  # flushes what is still buffered
        jobs.stop()
        await payments.aclose()
        await cache.stop()
        await db.dispose()

    app = FastAPI(
        title="Haat",
        version=__version__,
        description="Commerce for small businesses and artisans: catalogue with approvals, "
        "search, identity. Errors are RFC 9457 problem+json.",
        lifespan=lifespan,
        docs_url=None,  # served below from the packaged Swagger UI, not from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.limiter = limiter
    app.state.public_cache = cache
    app.state.jobs = jobs
    app.state.payments = payments
    app.state.events = events
    app.state.chat = chat
    app.state.champions = champions
    app.state.storage = LocalStorage(settings.upload_dir, settings.media_url)
    app.state.assistant = AssistantService(settings, limiter)
    app.state.embedding_refresher = refresher
    app.state.services = Services(
        identity=identity,
        otp=OtpService(settings, limiter, sms or LogSmsSender(), identity),
    )
    health = HealthRegistry()
    health.add("database", database_check(db))
    for name in PREDICTION_MODELS:
        health.add(f"model:{name}", champions.health_check(name))
    app.state.health = health

    install_error_handlers(app)
    # A photo plus the multipart envelope; every other body is far smaller.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_upload_bytes + 2**20)
    app.add_middleware(PublicCacheMiddleware, cache=cache, prefixes=PUBLIC_PREFIXES)
    app.add_middleware(RequestContextMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    # FastAPI tries the included routers in this order for every request: the buyer's hot
    # paths (cart, checkout) first. No two routers before order_money_router share a path.
    for router in (
        cart_router,
        orders_router,
        auth_router,
        businesses_router,
        clusters_router,
        categories_router,
        products_router,
        customers_router,
        khata_router,
        fx_router,
        favorites_router,
        tax_router,
        order_money_router,
        payments_router,
        insights_router,
        quality_router,
        assistant_router,
        chat_router,
        predictions_router,
        rates_router,
        jewellery_router,
        trends_router,
    ):
        app.include_router(router)

    @app.get(
        "/api/health",
        tags=["ops"],
        response_model=HealthReport,
        responses={503: {"model": HealthReport, "description": "A check failed"}},
    )
    async def health_check(request: Request) -> JSONResponse:
        """200 when every check passes, 503 with the failing checks otherwise."""
        report = await request.app.state.health.run(__version__)
        return JSONResponse(
            report.model_dump(mode="json"), status_code=200 if report.status == "ok" else 503
        )

    app.mount(SWAGGER_STATIC, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """Swagger UI on the app's own copy of its files (works offline)."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Haat API",
            swagger_js_url=f"{SWAGGER_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_STATIC}/favicon-32x32.png",
        )

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    # Socket.IO (Engine.IO answers under /socket.io/); see haat.chat.realtime.
    app.mount("/socket.io", chat.asgi, name="socket.io")
    app.mount(
        settings.media_url.rstrip("/"),
        StaticFiles(directory=settings.upload_dir, check_dir=False),
        name="media",
    )
    install_web(app, settings)
    return app
