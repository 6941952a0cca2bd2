"""The public micro-cache: anonymous hits, bypasses, and invalidation on catalogue commits."""

from __future__ import annotations

import asyncio

import httpx

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus
from haat.config import Settings
from haat.core.cache import CachedResponse, PublicCache
from tests.conftest import Factory


async def test_anonymous_reads_are_served_from_memory(
    cached_client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    await factory.product(await factory.business(owner), title="Dokra brass horse")
    first = await cached_client.get("/api/products", params={"search": "dokra"})
    second = await cached_client.get("/api/products", params={"search": "dokra"})
    assert first.headers["x-cache"] == "MISS" and second.headers["x-cache"] == "HIT"
    assert first.content == second.content and second.json()["total"] == 1
    assert second.headers["content-type"] == "application/json"
    assert "age" in second.headers and second.headers["x-request-id"]
    other = await cached_client.get("/api/products", params={"search": "horse"})
    assert other.headers["x-cache"] == "MISS"  # the query string is part of the key


async def test_credentials_and_no_cache_bypass_it(
    cached_client: httpx.AsyncClient, factory: Factory
) -> None:
    caller = await factory.user("someone")
    await cached_client.get("/api/products")
    r = await cached_client.get("/api/products", headers=caller.headers)
    assert "x-cache" not in r.headers
    r = await cached_client.get("/api/products", headers={"Cache-Control": "no-cache"})
    assert "x-cache" not in r.headers
    r = await cached_client.get("/api/health")
    assert "x-cache" not in r.headers


async def test_errors_are_not_cached(cached_client: httpx.AsyncClient) -> None:
    url = "/api/products/00000000-0000-0000-0000-000000000000"
    assert (await cached_client.get(url)).headers["x-cache"] == "MISS"
    assert (await cached_client.get(url)).headers["x-cache"] == "MISS"


async def test_a_catalogue_commit_empties_the_cache(
    cached_client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    approver = await factory.member(business, BusinessRole.APPROVER)
    pending = await factory.product(
        business, title="Kondapalli wooden toy", status=ProductStatus.PENDING_APPROVAL
    )
    assert (await cached_client.get("/api/products")).json()["total"] == 0
    assert (await cached_client.get("/api/products")).headers["x-cache"] == "HIT"
    r = await cached_client.post(f"/api/products/{pending.id}/approve", headers=approver.headers)
    assert r.status_code == 200
    after = await cached_client.get("/api/products")
    assert after.headers["x-cache"] == "MISS" and after.json()["total"] == 1
    # A commit that touches no catalogue table keeps the cache.
    await cached_client.patch("/api/auth/me", headers=owner.headers, json={"full_name": "N"})
    assert (await cached_client.get("/api/products")).headers["x-cache"] == "HIT"


def test_a_response_computed_before_a_change_is_not_stored() -> None:
    cache = PublicCache(ttl_s=60)
    seen = cache.generation
    cache.tables_committed({"products"})
    cache.put("/api/products?", CachedResponse([], b"stale", 0.0), seen)
    assert cache.get("/api/products?") is None


async def test_redis_carries_invalidation_to_other_workers(settings: Settings) -> None:
    url = "redis://127.0.0.1:6379/0"
    worker_a, worker_b = PublicCache(60, redis_url=url), PublicCache(60, redis_url=url)
    await worker_a.start()
    await worker_b.start()
    try:
        worker_b.put("k", CachedResponse([], b"x", 0.0), worker_b.generation)
        worker_a.tables_committed({"products"})
        for _ in range(50):
            if worker_b.get("k") is None:
                break
            await asyncio.sleep(0.02)
        assert worker_b.get("k") is None
    finally:
        await worker_a.stop()
        await worker_b.stop()


async def test_concurrent_misses_compute_once(settings: Settings, factory: Factory) -> None:
    from haat.core.cache import PublicCacheMiddleware

    calls = 0

    async def slow_app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": b"[]"})

    app = PublicCacheMiddleware(slow_app, PublicCache(60), ("/api/products",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        responses = await asyncio.gather(*(c.get("/api/products") for _ in range(20)))
    assert calls == 1
    assert all(r.status_code == 200 and r.content == b"[]" for r in responses)
    assert sorted(r.headers["x-cache"] for r in responses).count("HIT") == 19


async def test_stale_entries_are_served_while_one_request_refreshes() -> None:
    from haat.core.cache import PublicCacheMiddleware

    release = asyncio.Event()
    calls = 0

    async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls > 1:
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(calls).encode()})

    cache = PublicCache(ttl_s=60)
    middleware = PublicCacheMiddleware(app, cache, ("/api/products",))
    transport = httpx.ASGITransport(app=middleware)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        assert (await c.get("/api/products")).content == b"1"
        entry = cache.get("/api/products?")
        assert entry is not None
        cache.store["/api/products?"] = CachedResponse(
            entry.headers, entry.body, entry.stored_at - 61
        )  # now stale
        refresh = asyncio.create_task(c.get("/api/products"))
        await asyncio.sleep(0.05)
        meanwhile = await c.get("/api/products")
        assert meanwhile.content == b"1" and meanwhile.headers["x-cache"] == "HIT"
        release.set()
        assert (await refresh).content == b"2"
    assert cache.get("/api/products?").body == b"2"


async def test_a_burst_of_changes_is_announced_once(settings: Settings) -> None:
    from redis.asyncio import Redis

    from haat.core.cache import ANNOUNCE_WINDOW_S, CHANNEL

    url = "redis://127.0.0.1:6379/0"
    listener = Redis.from_url(url)
    pubsub = listener.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(CHANNEL)
    worker = PublicCache(60, redis_url=url)
    await worker.start()

    async def heard() -> int:
        count, deadline = 0, asyncio.get_running_loop().time() + 4 * ANNOUNCE_WINDOW_S
        while asyncio.get_running_loop().time() < deadline:
            if await pubsub.get_message(timeout=ANNOUNCE_WINDOW_S) is not None:
                count += 1
        return count

    try:
        for _ in range(20):  # twenty checkouts in a row, each writing products
            worker.tables_committed({"products", "orders"})
        assert await heard() == 1
        worker.tables_committed({"products"})
        assert await heard() == 1
    finally:
        await worker.stop()
        await pubsub.aclose()
        await listener.aclose()
