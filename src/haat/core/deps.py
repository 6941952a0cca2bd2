"""FastAPI dependencies shared by every router: the request's database session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import Database, session_scope
from haat.core.events import EVENT_SINK, EventBuffer

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
    db: Database = request.app.state.db
    async with session_scope(db, write=write) as session:
        events: EventBuffer | None = getattr(request.app.state, "events", None)
        if events is not None:  # behaviour events of this request, written after its commit
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
