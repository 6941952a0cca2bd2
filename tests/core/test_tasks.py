"""Background jobs: sent only after the commit, run in-process, their outcome recorded."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from haat.config import Settings
from haat.core.db import Database, on_commit, session_scope
from haat.core.jobs import Job, JobStatus
from haat.core.tasks import JobRunner, TaskContext, enqueue, task

echoed: list[dict[str, Any]] = []


@task("tests.echo")
async def echo(ctx: TaskContext, word: str, times: int = 1) -> dict[str, Any]:
    async with ctx.db.session() as session:  # the task has a database of its own loop
        jobs = await session.scalar(select(func.count()).select_from(Job))
    echoed.append({"word": word, "job_id": ctx.job_id})
    return {"echo": word * times, "jobs_seen": jobs}


@task("tests.explode")
async def explode(ctx: TaskContext) -> None:
    raise RuntimeError("kiln too hot")


@pytest.fixture(scope="module")
def runner(settings: Settings):  # type: ignore[no-untyped-def]
    runner = JobRunner(settings)
    runner.start()
    yield runner
    runner.stop()


async def _job(db: Database, job_id: uuid.UUID) -> Job:
    async with db.session() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        return job


async def _wait(runner: JobRunner) -> None:
    await asyncio.to_thread(runner.join, 20_000)


async def test_a_job_runs_after_the_commit_and_records_its_result(
    db: Database, runner: JobRunner
) -> None:
    echoed.clear()
    async with session_scope(db) as session:
        job = await enqueue(session, runner, "tests.echo", word="ab", times=2)
        await asyncio.sleep(0.2)
        assert echoed == []  # nothing is sent before the commit
    await _wait(runner)
    stored = await _job(db, job.id)
    assert stored.status == JobStatus.SUCCEEDED
    assert stored.result == {"echo": "abab", "jobs_seen": 1}
    assert stored.started_at is not None and stored.finished_at is not None
    assert echoed == [{"word": "ab", "job_id": job.id}]


async def test_a_rolled_back_request_queues_nothing(db: Database, runner: JobRunner) -> None:
    echoed.clear()
    with pytest.raises(ZeroDivisionError):
        async with session_scope(db) as session:
            await enqueue(session, runner, "tests.echo", word="lost")
            raise ZeroDivisionError
    await _wait(runner)
    assert echoed == []
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Job)) == 0


async def test_a_failing_job_is_marked_failed_with_its_error(
    db: Database, runner: JobRunner
) -> None:
    async with session_scope(db) as session:
        job = await enqueue(session, runner, "tests.explode")
    await _wait(runner)
    stored = await _job(db, job.id)
    assert stored.status == JobStatus.FAILED
    assert stored.error is not None and "kiln too hot" in stored.error


async def test_unknown_task_names_are_refused(db: Database, runner: JobRunner) -> None:
    async with db.session() as session:
        with pytest.raises(KeyError):
            await enqueue(session, runner, "tests.nope")


async def test_on_commit_callbacks_run_in_order_and_not_after_rollback(db: Database) -> None:
    calls: list[str] = []
    async with session_scope(db) as session:
        on_commit(session, lambda: calls.append("first"))
        on_commit(session, lambda: 1 / 0)  # logged; the next one still runs
        on_commit(session, lambda: calls.append("second"))
    assert calls == ["first", "second"]
    with pytest.raises(RuntimeError):
        async with session_scope(db) as session:
            on_commit(session, lambda: calls.append("never"))
            raise RuntimeError
    async with session_scope(db) as session:
        pass  # a later transaction of a fresh session runs nothing left over
    assert calls == ["first", "second"]


async def test_a_rolled_back_savepoint_keeps_the_callbacks_of_its_transaction(
    db: Database,
) -> None:
    calls: list[str] = []
    async with session_scope(db) as session:
        on_commit(session, lambda: calls.append("kept"))
        with pytest.raises(LookupError):
            async with session.begin_nested():
                raise LookupError
    assert calls == ["kept"]
