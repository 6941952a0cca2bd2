"""The SQL of the model registry (``ml_model_versions``)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.ml.models import ModelStatus, ModelVersion


async def champion(session: AsyncSession, name: str) -> ModelVersion | None:
    """The serving version of ``name``, if any (one indexed query)."""
    return await session.scalar(
        select(ModelVersion).where(
            ModelVersion.name == name, ModelVersion.status == ModelStatus.CHAMPION
        )
    )


async def versions(session: AsyncSession, name: str | None) -> list[ModelVersion]:
    """Every version (of ``name``, or of all models), by name then newest first."""
    query = select(ModelVersion).order_by(ModelVersion.name, ModelVersion.version.desc())
    if name is not None:
        query = query.where(ModelVersion.name == name)
    return list(await session.scalars(query))


async def version(session: AsyncSession, name: str, number: int) -> ModelVersion | None:
    """Version ``number`` of ``name``, if stored."""
    return await session.scalar(
        select(ModelVersion).where(ModelVersion.name == name, ModelVersion.version == number)
    )


async def last_version_number(session: AsyncSession, name: str) -> int:
    """The highest version number of ``name``; 0 when none is stored."""
    found = await session.scalar(
        select(func.max(ModelVersion.version)).where(ModelVersion.name == name)
    )
    return int(found or 0)


async def previous_champion(session: AsyncSession, name: str) -> ModelVersion | None:
    """The retired version of ``name`` crowned most recently and never rolled back."""
    return await session.scalar(
        select(ModelVersion)
        .where(
            ModelVersion.name == name,
            ModelVersion.status == ModelStatus.RETIRED,
            ModelVersion.crowned_at.is_not(None),
            ModelVersion.rolled_back_at.is_(None),
        )
        .order_by(ModelVersion.crowned_at.desc())
        .limit(1)
    )
