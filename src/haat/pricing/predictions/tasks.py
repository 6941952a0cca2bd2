"""Background job of price prediction: retraining the gold and diamond models.

`request_retrain` (platform admins only) queues one job that trains the asked models one
after the other, each recorded in the registry as the next version and crowned only if it is
no worse than the champion on the same hold-out (`haat.ml.service.record`). Training runs in a
worker thread, outside any transaction; only the registry row is written in one.
"""

from __future__ import annotations

import uuid
from typing import Any

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import session_scope
from haat.core.jobs import Job
from haat.core.tasks import JobRunner, TaskContext, active_jobs, enqueue, get_job, task
from haat.identity.actor import Actor
from haat.ml import service
from haat.pricing.predictions import diamonds, gold

TASK_NAME = "pricing.retrain"
MODELS = (gold.NAME, diamonds.NAME)


def models_for(choice: str) -> list[str]:
    """The model names of a retrain request: ``gold``, ``diamond`` or ``all``."""
    return list(MODELS) if choice == "all" else [choice]


async def request_retrain(
    session: AsyncSession, runner: JobRunner, actor: Actor, choice: str
) -> tuple[Job, list[str]]:
    """Queue the retraining of ``choice`` (sent after the caller's commit); returns the job
    and the model names. A retrain of the same models still queued or running is returned
    instead of queueing another (training is minutes of CPU). Raises 401 for an anonymous
    caller, 403 for anyone but a platform admin. Flushes; never commits."""
    user_id = actor.require_platform_admin()
    names = models_for(choice)
    for job in await active_jobs(session, TASK_NAME):
        if job.arguments.get("models") == names:
            return job, names
    job = await enqueue(session, runner, TASK_NAME, requested_by=user_id, models=names)
    return job, names


@task(TASK_NAME)
async def retrain(ctx: TaskContext, models: list[str]) -> dict[str, Any]:
    """Train each named model and record it; the result gives, per model, the new version,
    its status and its decisive metric."""
    async with ctx.db.session(write=False) as session:
        job = await get_job(session, ctx.job_id)
        requested_by: uuid.UUID | None = job.requested_by if job else None
    done: dict[str, Any] = {}
    for name in models:
        trained = await anyio.to_thread.run_sync(service.fit, name)
        async with session_scope(ctx.db) as session:
            row = await service.record(
                session, ctx.settings.model_dir, trained, trained_by=requested_by
            )
            done[name] = {
                "version": row.version,
                "status": row.status.value,
                "comparison": row.comparison,
                "training_seconds": row.training_seconds,
            }
    return done
