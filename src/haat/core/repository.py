"""The repository base: the few SQL helpers every domain's repository builds on.

A domain's SQL lives in its ``repository.py`` (or ``repository/`` package): module functions
that take the request's `AsyncSession` first, run SELECT, INSERT, UPDATE and DELETE on the
domain's own tables (reading other domains' tables in joins where a query needs them), and
return ORM objects, rows or plain values. Services call them and hold the rules; they never
build a statement. Nothing here commits: the request's `haat.core.db.session_scope` does, once.

The tables a transaction writes are noted for the commit hooks by `haat.core.db` itself, so
a repository does not signal the public cache by hand either.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import CursorResult, Executable, Result, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from haat.core.db import Base
from haat.core.errors import NotFound
from haat.core.pagination import COUNT_CAP, PageParams

T = TypeVar("T", bound=Base)


def dialect(session: AsyncSession) -> str:
    """``"postgresql"`` or ``"sqlite"``: the one place a repository asks which database."""
    return session.get_bind().dialect.name


async def get(
    session: AsyncSession,
    model: type[T],
    ident: Any,
    *,
    for_update: bool = False,
    options: tuple[Any, ...] = (),
    fresh: bool = False,
) -> T | None:
    """The row of ``model`` with primary key ``ident``, or None. ``for_update`` locks it
    (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's write lock serialises writers);
    ``fresh`` reloads an object the session already holds."""
    return await session.get(
        model, ident, with_for_update=for_update or None, options=options, populate_existing=fresh
    )


async def get_one(
    session: AsyncSession,
    model: type[T],
    ident: Any,
    message: str = "Not found",
    *,
    for_update: bool = False,
    options: tuple[Any, ...] = (),
) -> T:
    """`get`, raising `NotFound` (404) with ``message`` when there is no such row."""
    found = await get(session, model, ident, for_update=for_update, options=options)
    if found is None:
        raise NotFound(message)
    return found


async def add(session: AsyncSession, *objects: Base, flush: bool = True) -> None:
    """Add new rows; ``flush`` writes them now (so that database defaults and constraint
    errors show here, not at commit)."""
    session.add_all(objects)
    if flush:
        await session.flush()


async def delete(session: AsyncSession, obj: Base) -> None:
    """Delete one loaded row and flush."""
    await session.delete(obj)
    await session.flush()


async def flush(session: AsyncSession) -> None:
    """Write the changes made to loaded objects now (constraint errors raise here)."""
    await session.flush()


async def refresh(session: AsyncSession, obj: Base, *attributes: str) -> None:
    """Reload ``obj`` (or only ``attributes``) from the database."""
    await session.refresh(obj, list(attributes) or None)


async def run(session: AsyncSession, statement: Executable, params: Any = None) -> Result[Any]:
    """Execute a Core statement on the session's connection, without the ORM's per-row work:
    for the hot paths (checkout) and bulk statements. Returns the driver's result."""
    conn = await session.connection()
    return await conn.execute(statement, params)


async def compare_and_set(
    session: AsyncSession,
    model: type[Base],
    ident: uuid.UUID,
    column: InstrumentedAttribute[Any],
    seen: Any,
    values: Mapping[str, Any],
) -> bool:
    """``UPDATE model SET values WHERE id = ident AND column = seen``: True when the row moved,
    False when it was not at ``seen`` any more (another request changed it first). Atomic
    under PostgreSQL's row lock and SQLite's write lock. Objects the session holds see the
    new values."""
    result = await session.execute(
        update(model).where(model.id == ident, column == seen).values(**values)  # type: ignore[attr-defined]
    )
    return isinstance(result, CursorResult) and result.rowcount == 1


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    params: PageParams,
    *,
    options: tuple[Any, ...] = (),
    count: Select[Any] | None = None,
) -> tuple[list[Any], int]:
    """Run ``stmt`` (a select of one entity) for one page and count its rows, up to
    ``COUNT_CAP + 1``. Loader ``options`` apply to the page only, so the count stays plain.
    ``count`` is a cheaper select of the same rows to count instead (without the joins that
    only order them, say).

    Returns ``(items, counted)``; hand both to `haat.core.pagination.Page.of`.
    """
    capped = (count if count is not None else stmt).order_by(None).limit(COUNT_CAP + 1).subquery()
    total = await session.scalar(select(func.count()).select_from(capped))
    paged = stmt.options(*options).limit(params.per_page).offset(params.offset)
    result = await session.execute(paged)
    return list(result.scalars().all()), int(total or 0)


@asynccontextmanager
async def savepoint(session: AsyncSession) -> AsyncIterator[None]:
    """A nested transaction: an exception inside rolls back only what was done inside it
    (one product of a bulk action, a duplicate insert raced by another request)."""
    async with session.begin_nested():
        yield
