"""Background job rows: what was asked (task name, arguments), by whom, and how it went.

A job moves ``queued -> running -> succeeded | failed`` through its state machine (no history
table: the row keeps its own ``started_at`` and ``finished_at``). `haat.core.tasks` queues
and runs them; `haat.core.job_repository` holds their SQL.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, enum_type
from haat.core.state_machine import StateMachine, Transition


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(IdMixin, Base):
    """One run of a task: what was asked (name, arguments), by whom, and how it went."""

    __tablename__ = "jobs"

    name: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus, 16))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


J = JobStatus
JOB_MACHINE: StateMachine[JobStatus, JobStatus] = StateMachine(
    name="job",
    model=Job,
    column=Job.status,
    history=None,
    transitions={
        J.RUNNING: Transition.to(J.RUNNING, [J.QUEUED], stamp="started_at"),
        J.SUCCEEDED: Transition.to(J.SUCCEEDED, [J.RUNNING], stamp="finished_at"),
        J.FAILED: Transition.to(J.FAILED, [J.RUNNING], stamp="finished_at"),
    },
    initial=J.QUEUED,
)
