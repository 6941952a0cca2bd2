"""Reading the ledger: an order's journal entries (for the seller's members and platform
admins; the buyer sees payments, not the platform's books) and the trial balance."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.commerce.orders import sees_internal
from haat.core.errors import Forbidden
from haat.identity.actor import Actor
from haat.payments import ledger
from haat.payments.access import order_access
from haat.payments.schemas import JournalEntryOut, PostingOut, TrialBalanceOut


async def order_entries(
    session: AsyncSession, actor: Actor, order_id: uuid.UUID
) -> list[JournalEntryOut]:
    """Every entry about the order, oldest first, with postings in the order posted.
    Raises 401, 404 (order not visible), 403 (the buyer)."""
    access = await order_access(session, actor, order_id)
    if not await sees_internal(session, actor, access.order):
        raise Forbidden("The ledger is for the selling business and platform admins")
    return [
        JournalEntryOut(
            id=entry.id,
            description=entry.description,
            idempotency_key=entry.idempotency_key,
            created_at=entry.created_at,
            postings=[
                PostingOut(account=p.account.code, amount_minor=p.amount_minor, currency=p.currency)
                for p in entry.postings
            ],
        )
        for entry in await ledger.entries_for(session, ("order", order_id))
    ]


async def trial_balance(session: AsyncSession, actor: Actor) -> TrialBalanceOut:
    """Sum of all postings per currency (platform admins; 401/403 otherwise)."""
    actor.require_platform_admin()
    return TrialBalanceOut(totals=await ledger.trial_balance(session))
