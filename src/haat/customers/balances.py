"""Per-customer roll-ups of the khata, kept in step with the entries.

Every entry, in the transaction that records it, updates two roll-ups (upserts that add to
the stored values, atomic under concurrent entries on PostgreSQL's row lock and SQLite's
write lock):

* `KhataBalance`: ``balance_minor`` = ``sum(effect)`` over the customer's entries.
* `KhataAgeingDay`: per customer and day, the increases (credits, positive adjustments,
  reversals of payments or negative adjustments are *not* among them, see below) that FIFO
  ageing counts. A reversed pair is left out of the ageing as if never made: reversing an
  increase takes its amount off the original's day, and reversing anything else (a payment,
  a negative adjustment) adds nothing, so a pair always nets to zero.

`rebuild` recomputes both from the entries (after a bulk load that bypassed the services,
or to check them); the migration that added them ran the same computation. The SQL is in
`haat.customers.repository.rollups`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.customers.models import EntryKind, KhataEntry
from haat.customers.repository import rollups as repository


def effect(kind: EntryKind, amount_minor: int) -> int:
    """The signed change an entry makes to the balance (minor units)."""
    return -amount_minor if kind == EntryKind.PAYMENT else amount_minor


def is_increase(kind: EntryKind, amount_minor: int) -> bool:
    """True for an entry that raises the balance: a credit or adjustment with a positive
    amount, or a reversal of a payment (a payment with a negative amount)."""
    return (kind != EntryKind.PAYMENT) == (amount_minor > 0)


async def apply(
    session: AsyncSession, entry: KhataEntry, original: KhataEntry | None = None
) -> None:
    """Fold a new ``entry`` (a reversal of ``original`` when given) into its customer's
    balance and ageing days. Never commits."""
    customer_id, business_id = entry.customer_id, entry.business_id
    await repository.add_to_balance(
        session, customer_id, business_id, effect(entry.kind, entry.amount_minor)
    )
    if original is None:
        if not is_increase(entry.kind, entry.amount_minor):
            return
        day, change = entry.occurred_on, abs(entry.amount_minor)
    else:
        if not is_increase(original.kind, original.amount_minor):
            return  # the pair added nothing to the ageing, and still adds nothing
        day, change = original.occurred_on, -abs(original.amount_minor)
    await repository.add_to_ageing(session, customer_id, business_id, day, change)


async def rebuild(session: AsyncSession, business_id: uuid.UUID | None = None) -> int:
    """Recompute the balance and ageing rows of one business (or all) from their entries;
    returns the number of balance rows written. Never commits."""
    return await repository.rebuild(session, business_id)
