"""Test set-up: one migrated database per run (SQLite by default, PostgreSQL when
HAAT_TEST_DATABASE_URL names one), emptied after every test, and an app on top of it."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncSession

from haat.app import create_app
from haat.businesses import service as business_service
from haat.businesses.models import Business, BusinessKind, BusinessRole, Membership
from haat.businesses.schemas import BusinessCreate
from haat.catalog.models import Product, ProductStatus
from haat.config import Settings
from haat.core.db import Base, Database
from haat.core.migrate import upgrade
from haat.core.security import encode_access_token, hash_password
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, User

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)


# Connections of the app under test (pool + overflow), per pytest-xdist worker: with two
# workers and the live servers of the browser tests, far under PostgreSQL's 100.
TEST_POOL_SIZE = 5


def _database_url(tmp_root: Path, worker: str) -> str:
    """SQLite in the worker's temporary folder, or ``HAAT_TEST_DATABASE_URL``'s PostgreSQL
    database with the pytest-xdist worker's name appended (``haat_test_gw0``), so that
    parallel workers never share a database."""
    url = os.environ.get("HAAT_TEST_DATABASE_URL")
    if not url:
        return f"sqlite+aiosqlite:///{tmp_root / 'haat_test.db'}"
    if worker == "master":
        return url
    base, _, query = url.partition("?")
    return f"{base}_{worker}" + (f"?{query}" if query else "")


async def _reset_postgres(url: str) -> None:
    """Create the test database if missing and drop everything in it."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    name = dsn.rsplit("/", 1)[1].split("?", 1)[0]
    admin = await asyncpg.connect(dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


class CapturingSms:
    """Keeps sent messages so tests can read OTP codes."""

    def __init__(self) -> None:
        self.outbox: list[tuple[str, str]] = []

    async def send(self, phone_e164: str, text: str) -> None:
        self.outbox.append((phone_e164, text))

    def last_code(self, phone: str) -> str:
        for to, body in reversed(self.outbox):
            if to == phone:
                return body.split()[0]
        raise AssertionError(f"no SMS to {phone}")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    url = _database_url(tmp_path_factory.mktemp("db"), worker_id)
    if url.startswith("postgresql"):
        asyncio.run(_reset_postgres(url))
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        haat_env="test",
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,
        db_pool_size=TEST_POOL_SIZE,
        upload_dir=tmp_path_factory.mktemp("media"),
        chat_upload_dir=tmp_path_factory.mktemp("chat"),
        model_dir=tmp_path_factory.mktemp("models"),
        # Every lookup checks the registry: tests change it between requests.
        ml_reload_interval_s=0,
        # Queue the embeddings refresh at once (tests wait for it with `wait()`).
        assistant_refresh_delay_s=0,
        log_level="WARNING",
        # Off here: the factory writes behind the app's back. tests/test_cache.py turns it on.
        public_cache_ttl_s=0,
    )


@pytest.fixture(scope="session")
def sms() -> CapturingSms:
    return CapturingSms()


@pytest.fixture(scope="session")
def app(settings: Settings, sms: CapturingSms):  # type: ignore[no-untyped-def]
    return create_app(settings, sms=sms)


@pytest.fixture(scope="session")
def db(app) -> Database:  # type: ignore[no-untyped-def]
    return app.state.wiring.db


@pytest.fixture(scope="session")
async def migrated_tables(db: Database) -> list[str]:
    """The tables the migrations made, children first (what each test empties)."""
    async with db.read_engine.connect() as conn:
        existing = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    return [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in existing]


@pytest.fixture(autouse=True)
async def _clean(app, sms: CapturingSms, migrated_tables: list[str]) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
    yield
    db: Database = app.state.wiring.db
    # This test's behaviour events, then emptied with the rest.
    await app.state.wiring.events.flush()
    async with db.write_engine.begin() as conn:
        if db.is_sqlite:
            await conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            for name in migrated_tables:
                await conn.exec_driver_sql(f'DELETE FROM "{name}"')
        else:
            await conn.execute(text(f"TRUNCATE {', '.join(migrated_tables)} CASCADE"))
    await app.state.wiring.limiter.reset()
    sms.outbox.clear()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def cached_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app of its own with the public cache on (60 s)."""
    app = create_app(settings.model_copy(update={"public_cache_ttl_s": 60}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
    await app.state.wiring.events.flush()
    await app.state.wiring.db.dispose()


@dataclass
class Caller:
    """A user with a bearer token, ready to call the API."""

    user: User
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user.id, platform_role=self.user.platform_role)


class Factory:
    """Creates rows straight through the database (fast), for arranging tests."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def session(self) -> AsyncSession:
        return self.db.session()

    async def user(
        self,
        name: str = "user",
        *,
        role: PlatformRole = PlatformRole.BUYER,
        phone: str | None = None,
        language: str = "en",
    ) -> Caller:
        email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
        async with self.session() as s:
            user = User(
                email=email,
                phone=phone,
                password_hash=_PASSWORD_HASH,
                full_name=name.title(),
                platform_role=role,
                preferred_language=language,
            )
            s.add(user)
            await s.commit()
        token, _ = encode_access_token(
            self.settings.secret_key, self.settings.jwt_algorithm, user.id, 900
        )
        return Caller(user=user, headers={"Authorization": f"Bearer {token}"})

    async def business(
        self,
        owner: Caller,
        *,
        requires_approval: bool = True,
        name: str = "Shop",
        kind: BusinessKind = BusinessKind.ARTISAN_WORKSHOP,
    ) -> Business:
        async with self.session() as s:
            business = await business_service.create_business(
                s,
                owner.actor,
                BusinessCreate(
                    name=name,
                    kind=kind,
                    city="Jaipur",
                    country="IN",
                    requires_approval=requires_approval,
                ),
            )
            await s.commit()
        return business

    async def member(
        self, business: Business, role: BusinessRole, name: str | None = None
    ) -> Caller:
        caller = await self.user(name or role.value)
        async with self.session() as s:
            s.add(Membership(business_id=business.id, user_id=caller.id, role=role))
            await s.commit()
        return caller

    async def product(
        self,
        business: Business,
        *,
        status: ProductStatus = ProductStatus.APPROVED,
        title: str = "Blue pottery vase",
        description: str = "Hand-painted Jaipur blue pottery",
        price_minor: int = 150000,
        currency: str = "INR",
        sku: str | None = None,
        stock_quantity: int = 5,
        attributes: dict[str, object] | None = None,
        category_id: uuid.UUID | None = None,
    ) -> Product:
        from haat.catalog.service import refresh_search_terms
        from haat.core.db import utcnow

        async with self.session() as s:
            product = Product(
                business_id=business.id,
                title=title,
                description=description,
                price_minor=price_minor,
                currency=currency,
                sku=sku or f"SKU-{uuid.uuid4().hex[:8]}",
                stock_quantity=stock_quantity,
                attributes=attributes or {},
                status=status,
                category_id=category_id,
                published_at=utcnow() if status == ProductStatus.APPROVED else None,
            )
            s.add(product)
            await refresh_search_terms(s, product)
            await s.commit()
        return product


@pytest.fixture
def factory(db: Database, settings: Settings) -> Factory:
    return Factory(db, settings)
