"""The one state machine (`haat.core.state_machine`), on the jobs table and, for histories, on
a machine over the products table declared here."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime

import pytest

from haat.catalog.models import Product, ProductStatus, ProductStatusChange
from haat.core.db import Database, session_scope
from haat.core.errors import InvalidTransition
from haat.core.jobs import JOB_MACHINE, Job, JobStatus
from haat.core.state_machine import History, StateMachine, Step, Transition
from haat.core.tasks import finish, get_job, start_running

S = ProductStatus


class Event(enum.StrEnum):
    CREATE = "create"
    SUBMIT = "submit"
    APPROVE = "approve"
    REVISE = "revise"


MACHINE: StateMachine[Event, ProductStatus] = StateMachine(
    name="product",
    model=Product,
    column=Product.status,
    history=History(ProductStatusChange, "product_id", note="reason", event="action"),
    transitions={
        Event.SUBMIT: Transition.to(S.PENDING_APPROVAL, [S.DRAFT]),
        Event.APPROVE: Transition.to(S.APPROVED, [S.PENDING_APPROVAL]),
        Event.REVISE: Transition({S.REJECTED: S.DRAFT, S.APPROVED: S.PENDING_APPROVAL}),
    },
    initial=S.DRAFT,
)


def test_a_transition_the_table_does_not_allow_is_a_409_naming_the_status() -> None:
    with pytest.raises(InvalidTransition) as refused:
        MACHINE.transition(Event.APPROVE, S.DRAFT)
    assert refused.value.extra["current_status"] == "draft"
    assert "Cannot approve a product that is draft" in refused.value.detail
    assert MACHINE.transition(Event.REVISE, S.APPROVED).moves[S.APPROVED] == S.PENDING_APPROVAL
    assert MACHINE.events_from(S.DRAFT) == [Event.SUBMIT]


def test_replay_checks_the_path_and_returns_its_history() -> None:
    product = Product(id=uuid.uuid4())
    at = datetime(2026, 11, 1, tzinfo=UTC)
    actor = uuid.uuid4()
    rows = MACHINE.replay(
        product,
        [Step(Event.SUBMIT, at, actor), Step(Event.APPROVE, at, actor, "looks right")],
        arrival=Step(Event.CREATE, at, actor),
    )
    assert product.status == S.APPROVED
    assert [(r["action"], r["from_status"], r["to_status"]) for r in rows] == [
        ("create", None, S.DRAFT),
        ("submit", S.DRAFT, S.PENDING_APPROVAL),
        ("approve", S.PENDING_APPROVAL, S.APPROVED),
    ]
    assert rows[-1]["reason"] == "looks right" and rows[0]["product_id"] == product.id
    with pytest.raises(InvalidTransition):
        MACHINE.replay(Product(), [Step(Event.APPROVE, at)], arrival=Step(Event.CREATE, at))


async def test_compare_and_set_gives_one_move_and_one_409(db: Database) -> None:
    async with session_scope(db) as session:
        job = Job(name="test.job", arguments={})
        await JOB_MACHINE.start(session, job, actor_id=None)
    assert job.status == JobStatus.QUEUED
    async with session_scope(db) as session:
        assert await start_running(session, job.id)
    async with session_scope(db) as session:
        # A second worker saw it queued too: the compare-and-set finds it running.
        assert not await start_running(session, job.id)
        with pytest.raises(InvalidTransition):
            await JOB_MACHINE.move(
                session, job.id, JobStatus.QUEUED, JobStatus.RUNNING, actor_id=None
            )
    async with session_scope(db) as session:
        await finish(session, job.id, {"ok": 1}, None)
    async with session_scope(db) as session:
        stored = await get_job(session, job.id)
    assert stored is not None and stored.status == JobStatus.SUCCEEDED
    assert stored.started_at is not None and stored.finished_at is not None
    assert stored.result == {"ok": 1}
