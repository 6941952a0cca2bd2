"""The SQL of photo quality: photos' grades and businesses' minimum grades."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.identity.models import User
from haat.quality.grading import Grade
from haat.quality.models import PhotoGrade, PhotoQualityPolicy


async def get_grade(session: AsyncSession, image_id: uuid.UUID) -> PhotoGrade | None:
    """The grade of the image, or None (never graded, or the image is gone)."""
    return await repository.get(session, PhotoGrade, image_id)


async def add_grade(session: AsyncSession, row: PhotoGrade) -> None:
    """Add a new grade to the session (written at the next flush)."""
    await repository.add(session, row, flush=False)


async def grades(session: AsyncSession, image_ids: Sequence[uuid.UUID]) -> list[PhotoGrade]:
    """The stored grades of the given images (none for those never graded)."""
    return list(await session.scalars(select(PhotoGrade).where(PhotoGrade.image_id.in_(image_ids))))


async def graded_with(session: AsyncSession, model_version: str) -> set[uuid.UUID]:
    """Ids of the images whose stored grade comes from ``model_version``."""
    rows = await session.scalars(
        select(PhotoGrade.image_id).where(PhotoGrade.model_version == model_version)
    )
    return set(rows)


async def minimum_grades(
    session: AsyncSession, business_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Grade]:
    """``{business id: minimum grade}`` of those listed that set one."""
    rows = await session.execute(
        select(PhotoQualityPolicy.business_id, PhotoQualityPolicy.minimum_grade).where(
            PhotoQualityPolicy.business_id.in_(business_ids)
        )
    )
    return {business_id: grade for business_id, grade in rows.all()}


async def get_policy(session: AsyncSession, business_id: uuid.UUID) -> PhotoQualityPolicy | None:
    """The business's minimum-grade row, or None (no minimum)."""
    return await repository.get(session, PhotoQualityPolicy, business_id)


async def delete_policy(session: AsyncSession, business_id: uuid.UUID) -> None:
    """Remove the business's minimum grade (nothing happens without one)."""
    await session.execute(
        delete(PhotoQualityPolicy).where(PhotoQualityPolicy.business_id == business_id)
    )


async def put_policy(
    session: AsyncSession,
    business_id: uuid.UUID,
    minimum: Grade,
    updated_by: uuid.UUID,
    at: datetime,
) -> PhotoQualityPolicy | None:
    """Set the business's minimum grade in one ``INSERT ... ON CONFLICT DO UPDATE`` (two
    admins at once leave one row and one value); returns the row as stored, reloaded."""
    dialect = repository.dialect(session)
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(PhotoQualityPolicy).values(
        business_id=business_id,
        minimum_grade=minimum,
        updated_by_id=updated_by,
        created_at=at,
        updated_at=at,
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["business_id"],
            set_={
                "minimum_grade": stmt.excluded.minimum_grade,
                "updated_by_id": stmt.excluded.updated_by_id,
                "updated_at": stmt.excluded.updated_at,
            },
        )
    )
    return await session.scalar(
        select(PhotoQualityPolicy)
        .where(PhotoQualityPolicy.business_id == business_id)
        .execution_options(populate_existing=True)
    )


async def preferred_language(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    """The user's preferred language code, if any."""
    return await session.scalar(select(User.preferred_language).where(User.id == user_id))
