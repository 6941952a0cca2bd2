"""Migrations build the schema the models describe, on SQLite and PostgreSQL, both ways."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from haat import models  # noqa: F401
from haat.core.db import Base
from haat.migrations.schema import include_object


async def _diff(url: str) -> list[Any]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"include_object": include_object, "compare_type": True}
                    ),
                    Base.metadata,
                )
            )
    finally:
        await engine.dispose()


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    """The session's database was migrated to head from empty: no drift is allowed."""
    assert await _diff(database_url) == []


async def test_full_text_index_exists(database_url: str) -> None:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                names = await conn.run_sync(lambda s: inspect(s).get_table_names())
                assert "products_fts" in names
            else:
                columns = await conn.run_sync(
                    lambda s: [c["name"] for c in inspect(s).get_columns("products")]
                )
                assert "search_vector" in columns
    finally:
        await engine.dispose()


def test_downgrade_to_base_and_back(tmp_path: Any) -> None:
    from haat.core.migrate import downgrade, upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / 'roundtrip.db'}"
    upgrade(url)
    downgrade(url, "base")
    upgrade(url)
