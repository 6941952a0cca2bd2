"""The SQL of provider webhook events: each ``(provider, event id)`` is stored once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.payments.models import ProviderEvent


async def claim(session: AsyncSession, event: ProviderEvent) -> bool:
    """Store a new event in a savepoint: False when the same ``(provider, event id)`` is
    stored already (a re-delivery, or a concurrent twin that committed first)."""
    try:
        async with repository.savepoint(session):
            await repository.add(session, event)
    except IntegrityError:
        return False
    return True
