"""A business's khata at a glance: receivables, dues, FIFO ageing and this month's collections.

Ageing follows FIFO: payments (and negative adjustments) settle the oldest credits (and
positive adjustments) first, so a customer's outstanding balance B is made of their newest
increases. With S(c) the sum of increases dated on or after day c, the part of B younger than
c is min(B, S(c)); the buckets are differences of that at c = today - 30, - 60, - 90 days:

    0-30   = min(B, S(t-30))
    31-60  = min(B, S(t-60)) - min(B, S(t-30))
    61-90  = min(B, S(t-90)) - min(B, S(t-60))
    90+    = B - min(B, S(t-90))

Both come from roll-ups kept in the transaction of every entry (`haat.customers.balances`):
B is each customer's running balance, and S(c) a sum over the customer's ageing days (the
day's unreversed increases) of the last 90 days, so one grouped pass over those rows gives
every bucket, with no scan of the entries, window function or per-entry sort (figures in
bench/khata_summary.py; the statement is `haat.customers.repository.summary`). Reversed
entries and their reversals are left out of the ageing as if never made (the pair sums to
zero, so B is unchanged). Only customers with B > 0 age; the buckets sum to the total
receivable. Days are UTC.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import get_business, require_role
from haat.customers.khata import business_currency
from haat.customers.repository import summary as repository
from haat.customers.schemas import Ageing, SummaryOut, utc_today
from haat.customers.service import READERS
from haat.identity.actor import Actor


async def business_summary(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID, *, today: date | None = None
) -> SummaryOut:
    """Totals of a business's khata (any member, platform admins), in minor units of the
    khata's currency, as of ``today`` (UTC by default).

    Raises 401, 403 (not a member), 404 (no such business).
    """
    actor.require_user()
    await get_business(session, business_id)
    await require_role(session, actor, business_id, READERS)
    today = today or utc_today()
    values = await repository.summary_row(session, business_id, today)
    return SummaryOut(
        business_id=business_id,
        currency=await business_currency(session, business_id),
        as_of=today,
        total_receivable_minor=values[0],
        advances_minor=values[1],
        customers_with_dues=values[2],
        ageing=Ageing(
            days_0_30=values[3],
            days_31_60=values[4],
            days_61_90=values[5],
            days_over_90=values[6],
        ),
        collections_this_month_minor=values[7],
    )
