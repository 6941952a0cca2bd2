"""The SQL of escrow milestones and their history (statuses move through
`haat.payments.states.MILESTONE_MACHINE`, never here)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from haat.core import repository
from haat.payments.models import Milestone, MilestoneStatus


async def of_order(session: AsyncSession, order_id: uuid.UUID) -> list[Milestone]:
    """The order's milestones by position, with their history loaded (read afresh)."""
    rows = await session.scalars(
        select(Milestone)
        .where(Milestone.order_id == order_id)
        .order_by(Milestone.position)
        .options(selectinload(Milestone.history))
        .execution_options(populate_existing=True)
    )
    return list(rows.all())


async def get_milestone(session: AsyncSession, milestone_id: uuid.UUID) -> Milestone | None:
    """The milestone ``milestone_id``, or None."""
    return await repository.get(session, Milestone, milestone_id)


async def status_of(session: AsyncSession, milestone_id: uuid.UUID) -> MilestoneStatus | None:
    """The milestone's status as stored now, or None when there is no such milestone."""
    return await session.scalar(select(Milestone.status).where(Milestone.id == milestone_id))


async def pending_ids(session: AsyncSession, order_id: uuid.UUID) -> list[uuid.UUID]:
    """Ids of the order's milestones still pending."""
    rows = await session.scalars(
        select(Milestone.id).where(
            Milestone.order_id == order_id, Milestone.status == MilestoneStatus.PENDING
        )
    )
    return list(rows.all())


async def delete_of_order(session: AsyncSession, order_id: uuid.UUID) -> None:
    """Delete the order's milestones (and, by cascade, their history)."""
    await session.execute(delete(Milestone).where(Milestone.order_id == order_id))
