"""Background jobs: Dramatiq actors that are queued only after the request's commit.

A task is an ``async def fn(ctx: TaskContext, **kwargs)`` registered with ``@task("name")``;
its keyword arguments must be JSON values. ``await enqueue(session, "name", **kwargs)`` writes a
`Job` row in the caller's transaction and sends the message once that transaction commits, so
a request that fails queues nothing and a queued job always has its row.

`JobRunner` owns the broker. Without ``REDIS_URL`` it is Dramatiq's in-memory broker drained by
a worker thread of this very process (nothing else to run); with it, a Redis broker whose
messages ``haat worker`` processes execute. Either way the task runs on Dramatiq's event-loop
thread with its own database engine (`TaskContext.db`), records ``running``, then
``succeeded`` with its result or ``failed`` with the error, in the `Job` row.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware.asyncio import AsyncIO
from sqlalchemy.ext.asyncio import AsyncSession

from haat.config import Settings
from haat.core import job_repository as repository
from haat.core.db import Database, on_commit, session_scope
from haat.core.errors import InvalidTransition
from haat.core.jobs import JOB_MACHINE, Job, JobStatus

log = logging.getLogger("haat.tasks")
QUEUE = "haat"


@dataclass
class TaskContext:
    """What a running task gets: the settings and a database of the worker's own loop."""

    settings: Settings
    db: Database
    job_id: uuid.UUID


TaskFn = Callable[..., Awaitable[dict[str, Any] | None]]
_REGISTRY: dict[str, TaskFn] = {}


def task(name: str) -> Callable[[TaskFn], TaskFn]:
    """Register ``fn`` as the task ``name`` (unique). It returns a JSON-able dict (stored as
    the job's result) or None; an exception marks the job failed with its message."""

    def register(fn: TaskFn) -> TaskFn:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise ValueError(f"task {name!r} is registered twice")
        _REGISTRY[name] = fn
        return fn

    return register


class JobRunner:
    """The broker and, without Redis, the in-process worker. One per app (or CLI) process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.in_process = not settings.redis_url
        if settings.redis_url:
            from dramatiq.brokers.redis import RedisBroker

            self.broker: dramatiq.Broker = RedisBroker(url=settings.redis_url)
        else:
            self.broker = StubBroker()
        self.broker.add_middleware(AsyncIO())
        self._db: Database | None = None
        self._worker: dramatiq.Worker | None = None
        self._declared: set[str] = set()

    def _declare(self, name: str) -> None:
        if name in self._declared:
            return
        fn = _REGISTRY.get(name)
        if fn is None:
            raise KeyError(f"no task named {name!r}")

        async def run(job_id: str, **kwargs: Any) -> None:
            await self._run(fn, uuid.UUID(job_id), kwargs)

        dramatiq.Actor(
            cast(Any, run),  # dramatiq's generic signature does not fit a **kwargs function
            actor_name=name,
            queue_name=QUEUE,
            priority=0,
            broker=self.broker,
            options={"max_retries": 0},
        )
        self._declared.add(name)

    def declare_all(self) -> None:
        """Declare every registered task with the broker (a worker must know them all)."""
        for name in sorted(_REGISTRY):
            self._declare(name)

    def send(self, name: str, job_id: uuid.UUID, arguments: dict[str, Any]) -> None:
        self._declare(name)
        self.broker.get_actor(name).send(job_id=str(job_id), **arguments)

    def start(self) -> None:
        """Start the in-process worker (no-op with Redis: `haat worker` does the work)."""
        if self.in_process and self._worker is None:
            self.declare_all()
            self._worker = dramatiq.Worker(self.broker, worker_threads=1)
            self._worker.start()

    def stop(self) -> None:
        """Dispose of the tasks' engine on its loop, then stop the in-process worker."""
        loop_thread = get_event_loop_thread()
        if self._db is not None and loop_thread is not None:
            loop_thread.run_coroutine(self._db.dispose())
            self._db = None
        if self._worker is not None:
            self._worker.stop(timeout=10_000)
            self._worker = None

    def join(self, timeout_ms: int = 60_000) -> None:
        """Wait until every queued message is processed (in-process mode; tests, CLI)."""
        if isinstance(self.broker, StubBroker) and QUEUE in self.broker.queues:
            self.broker.join(QUEUE, timeout=timeout_ms, fail_fast=False)
            if self._worker is not None:
                self._worker.join()

    async def _run(self, fn: TaskFn, job_id: uuid.UUID, kwargs: dict[str, Any]) -> None:
        if self._db is None:  # created on the worker's event loop, used only there
            self._db = Database(self.settings.database_url, pool_size=2)
        db = self._db
        async with session_scope(db) as session:
            if not await start_running(session, job_id):
                return  # unknown or already handled (a redelivered message)
        result, error = None, None
        try:
            result = await fn(TaskContext(self.settings, db, job_id), **kwargs)
        except Exception as exc:
            log.exception("job %s (%s) failed", job_id, fn.__name__)
            error = "".join(traceback.format_exception_only(exc))
        async with session_scope(db) as session:
            await finish(session, job_id, result, error)


async def enqueue(
    session: AsyncSession,
    runner: JobRunner,
    name: str,
    *,
    requested_by: uuid.UUID | None = None,
    **arguments: Any,
) -> Job:
    """Record a queued `Job` for task ``name`` in ``session``'s transaction and send it to
    ``runner`` after that transaction commits (nothing is sent if it rolls back).

    Raises `KeyError` for an unknown task name. Flushes; never commits.
    """
    if name not in _REGISTRY:
        raise KeyError(f"no task named {name!r}")
    job = Job(name=name, arguments=arguments, requested_by=requested_by)
    await JOB_MACHINE.start(session, job, actor_id=requested_by)
    job_id = job.id
    on_commit(session, lambda: runner.send(name, job_id, arguments))
    return job


async def get_job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    """The job as stored now, or None."""
    return await repository.get_job(session, job_id)


async def active_jobs(session: AsyncSession, name: str) -> list[Job]:
    """The jobs of task ``name`` still queued or running."""
    return await repository.jobs_in(session, name, (JobStatus.QUEUED, JobStatus.RUNNING))


async def start_running(session: AsyncSession, job_id: uuid.UUID) -> bool:
    """Mark a queued job running; False when it is unknown or no longer queued (a message
    delivered twice)."""
    job = await repository.get_job(session, job_id)
    if job is None:
        return False
    try:
        await JOB_MACHINE.move(session, job_id, job.status, JobStatus.RUNNING, actor_id=None)
    except InvalidTransition:
        return False
    return True


async def finish(
    session: AsyncSession, job_id: uuid.UUID, result: dict[str, Any] | None, error: str | None
) -> None:
    """Mark a running job succeeded with its ``result``, or failed with its ``error``."""
    target = JobStatus.FAILED if error is not None else JobStatus.SUCCEEDED
    await JOB_MACHINE.move(
        session,
        job_id,
        JobStatus.RUNNING,
        target,
        actor_id=None,
        values={"result": result, "error": error},
    )
