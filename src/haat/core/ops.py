"""The operator's endpoints: ``/api/health``, ``/metrics`` and the API docs at ``/docs``
(Swagger UI served from the packaged files, so it works offline)."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from swagger_ui_bundle import swagger_ui_path

from haat import __version__
from haat.core.deps import provided
from haat.core.health import HealthRegistry, HealthReport

SWAGGER_STATIC = "/static/swagger-ui"


async def health_check(request: Request) -> JSONResponse:
    """200 when every check passes, 503 with the failing checks otherwise."""
    report = await provided(HealthRegistry)(request).run(__version__)
    return JSONResponse(
        report.model_dump(mode="json"), status_code=200 if report.status == "ok" else 503
    )


async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def install_ops(app: FastAPI) -> None:
    """Add the health, metrics and docs routes to ``app``."""
    app.add_api_route(
        "/api/health",
        health_check,
        methods=["GET"],
        tags=["ops"],
        response_model=HealthReport,
        responses={503: {"model": HealthReport, "description": "A check failed"}},
    )
    app.add_api_route("/metrics", metrics, methods=["GET"], tags=["ops"], include_in_schema=False)
    app.mount(SWAGGER_STATIC, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    async def docs() -> HTMLResponse:
        """Swagger UI on the app's own copy of its files (works offline)."""
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="Haat API",
            swagger_js_url=f"{SWAGGER_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_STATIC}/favicon-32x32.png",
        )

    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)
