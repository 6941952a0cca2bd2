"""Khata rules: recording immutable entries, reversing them once, balances and statements.

Balance convention (receivable, in minor units of the khata's currency)::

    balance = sum(credit) - sum(payment) + sum(adjustment)

A positive balance is owed by the customer; a negative one is an advance the business holds.
Entries are never changed or deleted; a mistake is corrected by a reversal: an entry of the
same kind with the amount negated, linked by ``reverses_id``, so the pair sums to zero.

A business's khata has one currency, the currency of its first entry; an entry in any other
currency is refused (422) rather than converted.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import business_names
from haat.core.errors import Conflict, NotFound, Unprocessable
from haat.core.pagination import PageParams
from haat.customers import balances
from haat.customers.balances import effect
from haat.customers.models import Customer, KhataEntry
from haat.customers.repository import entries as repository
from haat.customers.repository import rollups
from haat.customers.schemas import (
    BalanceOut,
    CustomerOut,
    EntryCreate,
    EntryOut,
    StatementLine,
    StatementOut,
    latest_allowed_day,
    utc_today,
)
from haat.customers.service import authorize, get_customer
from haat.identity.actor import Actor


class AlreadyReversed(Conflict):
    code, title = "entry_already_reversed", "This entry has already been reversed"


class ReversalOfReversal(Conflict):
    code, title = "reversal_not_reversible", "A reversal cannot itself be reversed"


def entry_out(entry: KhataEntry, reversed_by_id: uuid.UUID | None = None) -> EntryOut:
    """The API's view of an entry: its columns, its signed effect on the balance, and the
    entry that reversed it (``reversed_by_id``), if any."""
    return EntryOut.model_validate(
        {
            **{c: getattr(entry, c) for c in EntryOut.model_fields if hasattr(entry, c)},
            "effect_minor": effect(entry.kind, entry.amount_minor),
            "reversed_by_id": reversed_by_id,
        }
    )


async def business_currency(session: AsyncSession, business_id: uuid.UUID) -> str | None:
    """The currency of the business's khata (that of any entry), or None before the first."""
    return await repository.business_currency(session, business_id)


async def record_entry(session: AsyncSession, actor: Actor, data: EntryCreate) -> KhataEntry:
    """Record a credit, payment or adjustment for a customer (business admins and editors).

    Raises 401, 403 (role), 404 (customer not visible), 422 (a currency other than the
    khata's).
    """
    customer = await get_customer(session, actor, data.customer_id, write=True)
    currency = await business_currency(session, customer.business_id)
    if currency is not None and currency != data.currency:
        raise Unprocessable(
            f"This khata is kept in {currency}; amounts are never converted",
            errors=[
                {
                    "loc": ["body", "currency"],
                    "msg": f"must be {currency}, the currency of this khata",
                    "type": "currency_mismatch",
                }
            ],
        )
    entry = KhataEntry(
        **data.model_dump(),
        business_id=customer.business_id,
        created_by_id=actor.user_id,
    )
    await repository.add(session, entry)
    await balances.apply(session, entry)
    return entry


async def get_entry(session: AsyncSession, actor: Actor, entry_id: uuid.UUID) -> KhataEntry:
    """An entry the actor may read. Raises 401, 404."""
    actor.require_user()
    entry = await repository.get(session, entry_id)
    if entry is None:
        raise NotFound("No such khata entry")
    await authorize(session, actor, entry.business_id, write=False, what="khata entry")
    return entry


async def reversed_by(session: AsyncSession, entry_id: uuid.UUID) -> uuid.UUID | None:
    """The id of the entry that reversed ``entry_id``, if any."""
    return await repository.reversed_by(session, entry_id)


async def reverse_entry(
    session: AsyncSession, actor: Actor, entry_id: uuid.UUID, reason: str
) -> KhataEntry:
    """Cancel an entry with an opposite one (same kind, amount negated, dated today UTC or
    the original's day if later), ``reason`` as its description.

    Raises 401, 403, 404, 409 (already reversed, or the entry is itself a reversal).
    """
    original = await repository.get(session, entry_id)
    if original is None:
        raise NotFound("No such khata entry")
    await authorize(session, actor, original.business_id, write=True, what="khata entry")
    if original.reverses_id is not None:
        raise ReversalOfReversal()
    if await reversed_by(session, entry_id) is not None:
        raise AlreadyReversed()
    reversal = KhataEntry(
        business_id=original.business_id,
        customer_id=original.customer_id,
        kind=original.kind,
        amount_minor=-original.amount_minor,
        currency=original.currency,
        occurred_on=max(utc_today(), original.occurred_on),
        method=original.method,
        order_id=original.order_id,
        reference=original.reference,
        description=reason,
        reverses_id=original.id,
        created_by_id=actor.user_id,
    )
    if not await repository.add_reversal(session, reversal):
        raise AlreadyReversed()  # a concurrent reversal of the same entry came first
    await balances.apply(session, reversal, original)
    return reversal


async def list_entries(
    session: AsyncSession, actor: Actor, customer_id: uuid.UUID, params: PageParams
) -> tuple[list[KhataEntry], int]:
    """A customer's entries, newest first. Raises 401, 404."""
    customer = await get_customer(session, actor, customer_id)
    return await repository.page_of_customer(session, customer.business_id, customer.id, params)


async def reversal_links(
    session: AsyncSession, entry_ids: list[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """``{original id: reversing entry id}`` for the given entries."""
    if not entry_ids:
        return {}
    return await repository.reversal_links(session, entry_ids)


async def balance_for(session: AsyncSession, actor: Actor, customer_id: uuid.UUID) -> BalanceOut:
    """The customer's balance and its parts, in minor units. Raises 401, 404."""
    customer = await get_customer(session, actor, customer_id)
    credits, payments, adjustments, entries, last_day, currency = await repository.totals(
        session, customer.business_id, customer.id
    )
    return BalanceOut(
        customer_id=customer.id,
        currency=currency,
        balance_minor=credits - payments + adjustments,
        credits_minor=credits,
        payments_minor=payments,
        adjustments_minor=adjustments,
        entries=entries,
        last_entry_on=last_day,
    )


async def balances_of(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID, customer_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """``{customer id: balance in minor units}`` for customers of ``business_id``, read from
    the running balances kept with every entry (one query; customers without entries are
    absent). Raises 401, 404 (not a member)."""
    await authorize(session, actor, business_id, write=False)
    if not customer_ids:
        return {}
    return await rollups.balances_of(session, business_id, customer_ids)


async def statement(
    session: AsyncSession,
    actor: Actor,
    customer_id: uuid.UUID,
    date_from: date | None = None,
    date_to: date | None = None,
) -> StatementOut:
    """A customer's statement: the opening balance (entries before ``date_from``), each entry
    of ``date_from``..``date_to`` (inclusive, by ``occurred_on`` then recording time) with its
    running balance, and the closing balance. Without ``date_to`` every entry up to the latest
    is included. Raises 401, 404, 422 (``date_from`` after ``date_to``)."""
    if date_from and date_to and date_from > date_to:
        raise Unprocessable(
            "date_from is after date_to",
            errors=[{"loc": ["query", "date_from"], "msg": "after date_to", "type": "date_order"}],
        )
    customer = await get_customer(session, actor, customer_id)
    return await build_statement(session, customer, date_from, date_to)


async def build_statement(
    session: AsyncSession,
    customer: Customer,
    date_from: date | None = None,
    date_to: date | None = None,
) -> StatementOut:
    """`statement` for a customer already authorized (by `statement`, or by a signed share
    link in `sharing.py`)."""
    business_id = customer.business_id
    opening = 0
    if date_from is not None:
        opening = await repository.balance_before(session, business_id, customer.id, date_from)
    entries = await repository.of_period(session, business_id, customer.id, date_from, date_to)
    running, lines = opening, []
    for e in entries:
        change = effect(e.kind, e.amount_minor)
        running += change
        lines.append(
            StatementLine(
                entry_id=e.id,
                occurred_on=e.occurred_on,
                kind=e.kind,
                method=e.method,
                reference=e.reference,
                description=e.description,
                reverses_id=e.reverses_id,
                effect_minor=change,
                balance_minor=running,
            )
        )
    last_day = entries[-1].occurred_on if entries else utc_today()
    currency = entries[0].currency if entries else None
    return StatementOut(
        customer=CustomerOut.model_validate(customer),
        business_name=await business_name(session, customer.business_id),
        currency=currency or await business_currency(session, customer.business_id),
        date_from=date_from,
        date_to=date_to or min(max(utc_today(), last_day), latest_allowed_day()),
        opening_balance_minor=opening,
        lines=lines,
        closing_balance_minor=running,
    )


async def business_name(session: AsyncSession, business_id: uuid.UUID) -> str:
    """The business's display name (for statements and reminders)."""
    return (await business_names(session, [business_id])).get(business_id, "")
