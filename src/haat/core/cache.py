"""A micro-cache for anonymous reads of the public catalogue (an ASGI middleware).

Public listings, searches and product pages are the same for every anonymous visitor, so their
200 responses are kept in memory for a few seconds (``PUBLIC_CACHE_TTL_S``, 0 turns it off)
and served without touching the database. Past the TTL an entry is served stale for as long
again while one request recomputes it. Requests with credentials (Authorization, or a cookie other
than the anonymous visitor id `haat.core.events.VISITOR_COOKIE`) or ``Cache-Control: no-cache``
always reach the app. A hit records the behaviour events (product viewed, search) that the
cached response's own request recorded, for the visitor of the hit (``on_hit``).

Freshness: a commit that writes a catalogue table (products, images, categories, businesses,
clusters, and the FX rates of the display prices) empties this worker's cache at once, and,
with ``REDIS_URL`` set, every other worker's through a Redis pub/sub message, sent
`ANNOUNCE_WINDOW_S` after the first change it announces: a burst of commits (checkouts take
stock, so each writes products) sends one message, not one each. Without Redis other workers
may serve a response up to the TTL old.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import structlog
from cachetools import TTLCache
from redis.asyncio import Redis
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from haat.core.events import SCOPE_EVENTS, Row, only_visitor_cookie

log = structlog.get_logger("haat.cache")
# Tables whose rows cached responses show; fx_rates for the display prices in the viewer's
# currency (a response varies by its ``display_currency`` parameter through the query string).
CATALOGUE_TABLES = frozenset(
    {
        "products",
        "product_images",
        "product_jewellery",
        "categories",
        "businesses",
        "clusters",
        "fx_rates",
    }
)
CHANNEL = "haat:catalogue-changed"
# Other workers hear of a change at most this late (seconds); the changes of the window share
# one message.
ANNOUNCE_WINDOW_S = 0.05
MAX_BODY = 512 * 1024


@dataclass(frozen=True)
class CachedResponse:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    stored_at: float
    # Behaviour events the response's request emitted, recorded again on every hit.
    events: tuple[Row, ...] = ()


# Called on a hit with the cached response's events and the hit's request headers.
HitHook = Callable[[list[Row], list[tuple[bytes, bytes]]], None]


class PublicCache:
    """Cached public responses by path and query, for ``ttl_s`` seconds, at most ``maxsize``."""

    def __init__(self, ttl_s: float, maxsize: int = 4096, redis_url: str | None = None) -> None:
        self.ttl_s = ttl_s
        # Entries live twice the TTL: fresh for ``ttl_s``, then served stale while one request
        # recomputes them (stale-while-revalidate, RFC 5861).
        self.store: TTLCache[str, CachedResponse] = TTLCache(maxsize=maxsize, ttl=2 * ttl_s or 1)
        self.redis_url = redis_url
        # Bumped on every clear, so that a response computed before a change is not stored.
        self.generation = 0
        self._listener: asyncio.Task[None] | None = None
        self._redis: Redis | None = None
        self._announcing: asyncio.Task[None] | None = None
        self.on_hit: HitHook | None = None

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0

    def get(self, key: str) -> CachedResponse | None:
        return self.store.get(key)

    def is_fresh(self, entry: CachedResponse) -> bool:
        return time.monotonic() - entry.stored_at <= self.ttl_s

    def put(self, key: str, response: CachedResponse, generation: int) -> None:
        if generation == self.generation:
            self.store[key] = response

    def clear(self) -> None:
        self.generation += 1
        self.store.clear()

    def tables_committed(self, tables: Iterable[str]) -> None:
        """Commit hook: forget everything when a catalogue table changed, here and elsewhere."""
        if CATALOGUE_TABLES.isdisjoint(tables):
            return
        self.clear()
        if self._redis is not None and self._announcing is None:
            # Changes committed before the message is sent are covered by it.
            self._announcing = asyncio.get_running_loop().create_task(self._announce(self._redis))

    async def _announce(self, redis: Redis) -> None:
        await asyncio.sleep(ANNOUNCE_WINDOW_S)
        self._announcing = None  # a change from now on needs a message of its own
        try:
            await redis.publish(CHANNEL, b"1")
        except Exception as exc:  # a lost message only means other workers wait for the TTL
            log.warning("cache.invalidation_publish_failed", error=str(exc))

    async def start(self) -> None:
        """Listen for other workers' invalidations (only with Redis and a TTL)."""
        if not (self.enabled and self.redis_url):
            return
        self._redis = Redis.from_url(self.redis_url)
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(CHANNEL)

        async def listen() -> None:
            async for _message in pubsub.listen():
                self.clear()

        self._listener = asyncio.create_task(listen())

    async def stop(self) -> None:
        if self._announcing is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._announcing  # the last change's message still goes out
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()


class PublicCacheMiddleware:
    """Serves and stores anonymous GET 200 responses under the given path prefixes.

    Concurrent misses for one key are coalesced: the first request computes, the others wait
    for its response (no stampede on the database when an entry expires)."""

    def __init__(self, app: ASGIApp, cache: PublicCache, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.cache = cache
        self.prefixes = prefixes
        # Responses being computed, by key: concurrent misses wait for the first one.
        self.inflight: dict[str, asyncio.Future[CachedResponse | None]] = {}

    def _key(self, scope: Scope) -> str | None:
        if not self.cache.enabled or scope["type"] != "http" or scope["method"] != "GET":
            return None
        path: str = scope["path"]
        if not path.startswith(self.prefixes):
            return None
        for name, value in scope["headers"]:
            if name == b"authorization" or (name == b"cookie" and not only_visitor_cookie(value)):
                return None
            if name == b"cache-control" and b"no-cache" in value:
                return None
        return f"{path}?{scope['query_string'].decode('latin-1')}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.cache.get(key)
        if entry is not None and (self.cache.is_fresh(entry) or key in self.inflight):
            # Fresh, or stale while another request is already recomputing it.
            await self._serve(entry, scope, send)
            return
        if entry is None and key in self.inflight:
            # Another request is computing this response: wait for it instead of stampeding.
            entry = await asyncio.shield(self.inflight[key])
            if entry is not None:
                await self._serve(entry, scope, send)
                return
        leader = key not in self.inflight
        done: asyncio.Future[CachedResponse | None] = asyncio.get_running_loop().create_future()
        if leader:
            self.inflight[key] = done
        try:
            await self._compute(key, scope, receive, send, done)
        finally:
            if leader:
                del self.inflight[key]
            if not done.done():
                done.set_result(None)

    async def _serve(self, entry: CachedResponse, scope: Scope, send: Send) -> None:
        if entry.events and self.cache.on_hit is not None:
            try:
                self.cache.on_hit(list(entry.events), scope["headers"])
            except Exception:  # recording is never worth failing a response for
                log.exception("cache.hit_hook_failed")
        age = str(int(time.monotonic() - entry.stored_at)).encode()
        headers = [*entry.headers, (b"x-cache", b"HIT"), (b"age", age)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})

    async def _compute(
        self,
        key: str,
        scope: Scope,
        receive: Receive,
        send: Send,
        done: asyncio.Future[CachedResponse | None],
    ) -> None:
        generation = self.cache.generation
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                message.setdefault("headers", []).append((b"x-cache", b"MISS"))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    body = b"".join(chunks)
                    if len(body) <= MAX_BODY:
                        headers = [
                            (k, v)
                            for k, v in start["headers"]
                            if k not in (b"x-cache", b"x-request-id")
                        ]
                        events = tuple(scope.get(SCOPE_EVENTS, ()))
                        stored = CachedResponse(headers, body, time.monotonic(), events)
                        self.cache.put(key, stored, generation)
                        done.set_result(stored)
            await send(message)

        await self.app(scope, receive, capture)
