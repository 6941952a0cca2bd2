"""FastAPI dependencies shared by every router: the request's database session, and the app's
long-lived objects (settings, storage, jobs, ...) as typed dependencies.

`haat.wiring` builds those objects once per app and registers each under its type; a route
asks for one by type (`provided`), through the aliases below or a domain's own (e.g.
`haat.payments.providers.PaymentProviders`). Nothing else reads ``app.state``."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.core.events import EVENT_SINK, EventBuffer
from haat.core.ratelimit import RateLimiter
from haat.core.sms import SmsSender
from haat.core.storage import LocalStorage
from haat.core.tasks import JobRunner

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WIRING = "wiring"  # the ``app.state`` attribute holding `haat.wiring.Wiring`
T = TypeVar("T")


@functools.cache
def provided(kind: type[T]) -> Callable[[Request], T]:
    """A dependency giving the route the app's one object of type ``kind`` (one callable per
    type, so FastAPI resolves it once per request)."""

    def dependency(request: Request) -> T:
        return cast(T, getattr(request.app.state, WIRING).by_type[kind])

    dependency.__name__ = f"provided_{kind.__name__}"
    return dependency


def provided_now(app: Any, kind: type[T]) -> T:
    """The app's one ``kind`` outside a route (a Socket.IO handler, a middleware)."""
    return cast(T, getattr(app.state, WIRING).by_type[kind])


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request, committed once when the handler returns without error."""
    async with _session(request, write=request.method not in SAFE_METHODS) as session:
        yield session


async def get_write_session(request: Request) -> AsyncIterator[AsyncSession]:
    """`get_session` that writes whatever the method: for the GET routes that record
    something (a payment provider sending the buyer back), which on SQLite must take the
    write lock at BEGIN like any write."""
    async with _session(request, write=True) as session:
        yield session


@asynccontextmanager
async def _session(request: Request, *, write: bool) -> AsyncIterator[AsyncSession]:
    db = provided(Database)(request)
    async with session_scope(db, write=write) as session:
        events = provided(EventBuffer)(request)
        # Behaviour events of this request, written after its commit.
        session.sync_session.info[EVENT_SINK] = events.for_request(request.scope)
        yield session


def client_ip(request: Request) -> str:
    """The peer address (behind a proxy, run uvicorn with ``--proxy-headers``)."""
    return request.client.host if request.client else "unknown"


# scope="function": commit before the response is sent, so a failed commit is an error
# response and a 2xx always means the change is stored.
DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
WriteSession = Annotated[AsyncSession, Depends(get_write_session, scope="function")]
ClientIp = Annotated[str, Depends(client_ip)]
AppSettings = Annotated[Settings, Depends(provided(Settings))]
Storage = Annotated[LocalStorage, Depends(provided(LocalStorage))]
Jobs = Annotated[JobRunner, Depends(provided(JobRunner))]
Limiter = Annotated[RateLimiter, Depends(provided(RateLimiter))]
AppDatabase = Annotated[Database, Depends(provided(Database))]
Sms = Annotated[SmsSender, Depends(provided(SmsSender))]
# The header that makes a retried POST (checkout, payment) return the first result.
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        description="a unique key per attempt (checkout, payment); retries reuse it",
    ),
]
