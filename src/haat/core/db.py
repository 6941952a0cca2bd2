"""Database plumbing: declarative base, column types, engines and the per-request session.

One `Database` per process holds the engines. On SQLite two engines share the file: writes
open their transaction with ``BEGIN IMMEDIATE`` so that concurrent writers queue on SQLite's
write lock instead of failing with ``SQLITE_BUSY`` half-way; reads use plain deferred
transactions and run side by side thanks to WAL. On PostgreSQL both are the same engine.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import DateTime, Enum, MetaData, Table, TypeDecorator, Uuid, event, text
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool
from sqlalchemy.sql.dml import UpdateBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite keeps no zone, so values are stored as naive UTC and given back with ``tzinfo=UTC``.
    Naive datetimes are refused on the way in: they are a bug, not a guess to make.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_type(enum_cls: type[enum.Enum], length: int = 32) -> Enum:
    """A portable VARCHAR column for a `StrEnum` that stores the members' values."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    """Declarative base of every Haat table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class IdMixin:
    """A UUID primary key and a creation time."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TimestampMixin(IdMixin):
    """`IdMixin` plus a last-update time."""

    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _sqlite_engine(url: str, *, immediate: bool, **kw: Any) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": 30}, **kw)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so that BEGIN is ours to emit.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


CHANGED_TABLES = "haat.changed_tables"
# An execution option naming the tables a composed statement writes besides its own (a SELECT
# whose data-modifying CTEs write, say): ``stmt.execution_options(writes=("orders", ...))``.
WRITES = "writes"
CommitHook = Callable[[frozenset[str]], None]


@event.listens_for(Session, "after_begin")
def _link_connection(session: Session, _transaction: Any, connection: Connection) -> None:
    # The connection's writes are the session's from now on (a pooled connection serves one
    # session at a time; the next session's BEGIN links it again).
    connection.info[CHANGED_TABLES] = session.info.setdefault(CHANGED_TABLES, set())


@event.listens_for(Engine, "before_execute")
def _record_writes(
    conn: Connection,
    statement: Any,
    _multiparams: Any,
    _params: Any,
    execution_options: Mapping[str, Any],
) -> None:
    """Note the tables each statement of a session writes, for the commit hooks: the table of
    an INSERT, UPDATE or DELETE (ORM flushes included) and those a composed statement declares
    with the `WRITES` execution option. No service or repository has to remember it."""
    tables = conn.info.get(CHANGED_TABLES)
    if tables is None:
        return
    if isinstance(statement, UpdateBase):
        tables.add(statement.table.name)  # type: ignore[union-attr]
    declared = execution_options.get(WRITES)
    if declared:
        tables.update(declared)


def table_of(model: type[Base]) -> Table:
    """The `Table` of a mapped class, for Core statements that skip the ORM's per-row work."""
    return cast(Table, model.__table__)


AFTER_COMMIT = "haat.after_commit"


def on_commit(session: AsyncSession | Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once ``session``'s current transaction commits; drop it if the
    transaction rolls back. For work that must not happen for a failed request (sending a
    queued job, buffering behaviour events). Callbacks run in order; one that raises is
    logged and does not stop the others."""
    target = session.sync_session if isinstance(session, AsyncSession) else session
    target.info.setdefault(AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(AFTER_COMMIT, ()):
        try:
            callback()
        except Exception:
            logging.getLogger("haat.db").exception("after-commit callback failed")


@event.listens_for(Session, "after_transaction_end")
def _drop_after_rollback(session: Session, transaction: Any) -> None:
    # Runs after `after_commit` for a commit (nothing left then); for a rolled-back outermost
    # transaction it discards what was waiting for a commit that never came.
    if transaction.parent is None:
        session.info.pop(AFTER_COMMIT, None)


class Database:
    """The process's engines and session factories for one database URL.

    ``commit_hooks`` are called after each successful `session_scope` commit with the names
    of the tables the transaction wrote (e.g. to invalidate cached public responses).
    """

    def __init__(self, url: str, *, pool_size: int = 10, null_pool: bool = False) -> None:
        self.url = url
        self.commit_hooks: list[CommitHook] = []
        self.is_sqlite = url.startswith("sqlite")
        kw: dict[str, Any] = {"poolclass": NullPool} if null_pool else {}
        if self.is_sqlite:
            self.read_engine = _sqlite_engine(url, immediate=False, **kw)
            self.write_engine = _sqlite_engine(url, immediate=True, **kw)
        else:
            if not null_pool:
                kw.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False)
            self.read_engine = self.write_engine = create_async_engine(url, **kw)
        self.read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self.write_sessions = async_sessionmaker(self.write_engine, expire_on_commit=False)

    def session(self, *, write: bool = True) -> AsyncSession:
        """A new session; ``write=True`` takes SQLite's write lock at BEGIN."""
        return (self.write_sessions if write else self.read_sessions)()

    async def ping(self) -> None:
        """``SELECT 1`` on a fresh read connection; raises when the database is unreachable."""
        async with self.read_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.read_engine.dispose()
        if self.write_engine is not self.read_engine:
            await self.write_engine.dispose()


@asynccontextmanager
async def session_scope(db: Database, *, write: bool = True) -> AsyncIterator[AsyncSession]:
    """Yield a session and commit it once at the end; roll back on any exception.

    An exception whose ``keep_changes`` attribute is true (e.g. a wrong OTP attempt that must
    be counted) commits before it propagates.
    """
    async with db.session(write=write) as session:
        try:
            yield session
        except BaseException as exc:
            if getattr(exc, "keep_changes", False):
                await _commit(db, session)
            else:
                await session.rollback()
            raise
        else:
            await _commit(db, session)


async def _commit(db: Database, session: AsyncSession) -> None:
    await session.commit()
    changed = frozenset(session.info.pop(CHANGED_TABLES, ()))
    if changed:
        for hook in db.commit_hooks:
            hook(changed)
