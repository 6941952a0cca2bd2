"""Health, metrics, request ids and problem+json for framework errors."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

PROBLEM = "application/problem+json"


async def test_health_ok(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["checks"]["database"]["status"] == "ok"


async def test_health_503_names_the_failing_check(client: httpx.AsyncClient, app: FastAPI) -> None:
    async def broken() -> None:
        raise ConnectionError("redis is down")

    app.state.wiring.health.add("broken", broken)
    try:
        r = await client.get("/api/health")
    finally:
        app.state.wiring.health.remove("broken")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "fail"
    assert body["checks"]["broken"] == {
        "status": "fail",
        "latency_ms": None,
        "error": "ConnectionError: redis is down",
        "detail": None,
    }
    assert body["checks"]["database"]["status"] == "ok"


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
    assert r.json()["type"] == "not_found" and r.json()["instance"] == "/api/nothing-here"
    r = await client.delete("/api/health")
    assert r.status_code == 405 and r.json()["type"] == "method_not_allowed"
    assert r.headers["allow"] == "GET"
    r = await client.put("/api/auth/me")
    assert r.headers["allow"] == "GET, PATCH"  # two routes share the path


async def test_malformed_json_is_422(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/health", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = await client.get("/api/health")
    assert len(r.headers["x-request-id"]) == 32


async def test_metrics_count_requests_by_route(client: httpx.AsyncClient) -> None:
    await client.get("/api/products")
    text = (await client.get("/metrics")).text
    assert 'haat_http_requests_total{method="GET",route="/api/products",status="200"}' in text


async def test_openapi_documents_errors(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    approve = spec["paths"]["/api/products/{product_id}/approve"]["post"]["responses"]
    assert {"401", "403", "404", "409"} <= set(approve)
    assert (await client.get("/docs")).status_code == 200


async def test_no_cors_by_default(client: httpx.AsyncClient) -> None:
    r = await client.options(
        "/api/products",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers


async def test_oversized_bodies_are_refused_before_parsing(
    client: httpx.AsyncClient, settings
) -> None:  # type: ignore[no-untyped-def]
    too_big = b"x" * (settings.max_upload_bytes + 2**20 + 1)
    r = await client.post(
        "/api/auth/login", content=too_big, headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"y" * 2**20

    r = await client.post(
        "/api/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["type"] == "payload_too_large"


async def test_nul_characters_are_a_client_error(client: httpx.AsyncClient, factory, db) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL cannot store NUL: that is a 422 for the client, never a 500. SQLite can."""
    expected = 200 if db.is_sqlite else 422
    r = await client.get("/api/businesses", params={"search": "a\x00b"})
    assert r.status_code == expected
    caller = await factory.user("nul")
    r = await client.patch("/api/auth/me", headers=caller.headers, json={"full_name": "x\u0000y"})
    assert r.status_code == expected
    if expected == 422:
        assert r.json()["type"] == "invalid_characters"


async def test_docs_load_nothing_from_outside(client: httpx.AsyncClient) -> None:
    html = (await client.get("/docs")).text
    assert "https://" not in html and "http://" not in html
    assert "/static/swagger-ui/swagger-ui-bundle.js" in html
    js = await client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
