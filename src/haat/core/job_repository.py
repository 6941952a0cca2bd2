"""The SQL of the jobs table."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.core.jobs import Job, JobStatus


async def get_job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    """The job row as stored now (reloaded if the session holds it)."""
    return await repository.get(session, Job, job_id, fresh=True)


async def jobs_in(session: AsyncSession, name: str, statuses: Iterable[JobStatus]) -> list[Job]:
    return list(
        await session.scalars(select(Job).where(Job.name == name, Job.status.in_(list(statuses))))
    )
