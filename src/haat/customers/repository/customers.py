"""The SQL of a business's customers."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.core.pagination import PageParams
from haat.customers.models import Customer


async def get(session: AsyncSession, customer_id: uuid.UUID) -> Customer | None:
    """The customer ``customer_id``, or None."""
    return await repository.get(session, Customer, customer_id)


async def phone_taken(
    session: AsyncSession, business_id: uuid.UUID, phone: str, except_id: uuid.UUID | None = None
) -> bool:
    """True when another customer of the business (not ``except_id``) has ``phone``."""
    stmt = select(Customer.id).where(Customer.business_id == business_id, Customer.phone == phone)
    if except_id is not None:
        stmt = stmt.where(Customer.id != except_id)
    return bool(await session.scalar(stmt.limit(1)))


async def add(session: AsyncSession, customer: Customer) -> None:
    """Add a new customer to the session (written by `flush_unique`)."""
    await repository.add(session, customer, flush=False)


async def flush_unique(session: AsyncSession) -> bool:
    """Write the pending changes in a savepoint; False when a unique constraint refused them
    (a concurrent request gave another customer of the business the same phone)."""
    try:
        async with repository.savepoint(session):
            await repository.flush(session)
    except IntegrityError:
        return False
    return True


async def page(
    session: AsyncSession,
    business_id: uuid.UUID,
    params: PageParams,
    *,
    name_part: str | None,
    phone_digits: str | None,
    archived: bool | None,
) -> tuple[list[Customer], int]:
    """One page of the business's customers by name, and their count. Unless None,
    ``name_part`` (lower case) matches a part of the name, or ``phone_digits`` (if any) a
    part of the phone (LIKE wildcards escaped); ``archived`` None lists both."""
    stmt = select(Customer).where(Customer.business_id == business_id)
    if archived is not None:
        stmt = stmt.where(Customer.archived == archived)
    if name_part is not None:
        clauses = [func.lower(Customer.name).contains(name_part, autoescape=True)]
        if phone_digits:
            clauses.append(Customer.phone.contains(phone_digits, autoescape=True))
        stmt = stmt.where(or_(*clauses))
    return await repository.paginate(session, stmt.order_by(Customer.name, Customer.id), params)
