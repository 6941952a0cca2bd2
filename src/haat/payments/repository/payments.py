"""The SQL of payments and their status history (statuses move through
`haat.payments.states.PAYMENT_MACHINE`, never here)."""

from __future__ import annotations

import uuid

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from haat.core import repository
from haat.core.db import utcnow
from haat.payments.models import Payment, PaymentProvider, PaymentState


async def get_payment(session: AsyncSession, payment_id: uuid.UUID) -> Payment | None:
    """The payment ``payment_id`` (the session's copy if it holds one), or None."""
    return await repository.get(session, Payment, payment_id)


async def by_reference(
    session: AsyncSession, provider: PaymentProvider, reference: str | None
) -> Payment | None:
    """The payment of ``provider`` whose recorded provider object is ``reference``."""
    return await session.scalar(
        select(Payment).where(Payment.provider == provider, Payment.provider_reference == reference)
    )


async def of_order(
    session: AsyncSession,
    order_id: uuid.UUID,
    states: tuple[PaymentState, ...] = (),
    *,
    history: bool = False,
) -> list[Payment]:
    """The order's payments (only those in ``states`` if any are given), oldest first;
    ``history`` loads each one's status history too (one more query)."""
    stmt = select(Payment).where(Payment.order_id == order_id)
    if states:
        stmt = stmt.where(Payment.status.in_(states))
    if history:
        stmt = stmt.options(selectinload(Payment.history))
    rows = await session.scalars(stmt.order_by(Payment.created_at, Payment.id))
    return list(rows.all())


async def pending_of(
    session: AsyncSession, order_id: uuid.UUID, milestone_id: uuid.UUID | None
) -> Payment | None:
    """The pending payment of the order as a whole (``milestone_id`` None) or of one of its
    milestones, if any."""
    return await session.scalar(
        select(Payment).where(
            Payment.order_id == order_id,
            Payment.milestone_id.is_(None)
            if milestone_id is None
            else Payment.milestone_id == milestone_id,
            Payment.status == PaymentState.PENDING,
        )
    )


async def any_open(session: AsyncSession, order_id: uuid.UUID) -> bool:
    """Whether the order has a payment pending or succeeded."""
    found = await session.scalar(
        select(Payment.id)
        .where(
            Payment.order_id == order_id,
            Payment.status.in_([PaymentState.PENDING, PaymentState.SUCCEEDED]),
        )
        .limit(1)
    )
    return found is not None


async def succeeded_of_milestone(session: AsyncSession, milestone_id: uuid.UUID) -> Payment | None:
    """The succeeded payment that funded the milestone, if any."""
    return await session.scalar(
        select(Payment).where(
            Payment.milestone_id == milestone_id, Payment.status == PaymentState.SUCCEEDED
        )
    )


async def other_succeeded(
    session: AsyncSession, order_id: uuid.UUID, payment_id: uuid.UUID
) -> bool:
    """Whether another payment of the order than ``payment_id`` has succeeded."""
    found = await session.scalar(
        select(Payment.id).where(
            Payment.order_id == order_id,
            Payment.id != payment_id,
            Payment.status == PaymentState.SUCCEEDED,
        )
    )
    return found is not None


async def unreleased_of_whole_order(session: AsyncSession, order_id: uuid.UUID) -> list[Payment]:
    """The order's succeeded payments of the order as a whole not yet released."""
    rows = await session.scalars(
        select(Payment).where(
            Payment.order_id == order_id,
            Payment.milestone_id.is_(None),
            Payment.status == PaymentState.SUCCEEDED,
            Payment.released_at.is_(None),
        )
    )
    return list(rows.all())


async def mark_released(session: AsyncSession, payment_id: uuid.UUID) -> bool:
    """Stamp ``released_at`` on a succeeded payment not yet released (compare-and-set):
    True when this call did it, False when it was released or refunded already."""
    now = utcnow()
    result = await session.execute(
        update(Payment)
        .where(
            Payment.id == payment_id,
            Payment.status == PaymentState.SUCCEEDED,
            Payment.released_at.is_(None),
        )
        .values(released_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return isinstance(result, CursorResult) and result.rowcount == 1


async def settled_sums(session: AsyncSession, order_id: uuid.UUID) -> dict[PaymentState, int]:
    """``{succeeded|refunded: sum of amount_minor}`` of the order's settled payments."""
    rows = await session.execute(
        select(Payment.status, func.coalesce(func.sum(Payment.amount_minor), 0))
        .where(
            Payment.order_id == order_id,
            Payment.status.in_([PaymentState.SUCCEEDED, PaymentState.REFUNDED]),
        )
        .group_by(Payment.status)
    )
    return {state: int(total) for state, total in rows.all()}


async def reload(session: AsyncSession, payment: Payment) -> None:
    """Read the payment's columns again (after a compare-and-set UPDATE)."""
    await repository.refresh(session, payment)


async def load_history(session: AsyncSession, payment: Payment) -> None:
    """Load (again) the payment's status history, oldest first."""
    await repository.refresh(session, payment, "history")
