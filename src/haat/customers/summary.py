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
bench/khata_summary.py). Reversed entries and their reversals are left out of the ageing as
if never made (the pair sums to zero, so B is unchanged).
Only customers with B > 0 age; the buckets sum to the total receivable. Days are UTC.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import get_business, require_role
from haat.customers.khata import business_currency
from haat.customers.models import EntryKind, KhataAgeingDay, KhataBalance, KhataEntry
from haat.customers.schemas import Ageing, SummaryOut, utc_today
from haat.customers.service import READERS
from haat.identity.actor import Actor

BUCKET_DAYS = (30, 60, 90)


def _least(a: Any, b: Any) -> ColumnElement[Any]:
    """min(a, b) on every backend (SQLite has no LEAST)."""
    return case((a < b, a), else_=b)


def _month_bounds(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


def collections_this_month(business_id: uuid.UUID, today: date) -> Any:
    """The payments of ``today``'s calendar month (net of reversed payments), as a scalar
    subquery, in minor units."""
    first, following = _month_bounds(today)
    return (
        select(func.coalesce(func.sum(KhataEntry.amount_minor), 0))
        .where(
            KhataEntry.business_id == business_id,
            KhataEntry.kind == EntryKind.PAYMENT,
            KhataEntry.occurred_on >= first,
            KhataEntry.occurred_on < following,
        )
        .scalar_subquery()
    )


def summary_statement(business_id: uuid.UUID, today: date) -> Any:
    """The one SELECT that computes the summary row (see the module docstring).

    B is each customer's running balance (`KhataBalance`). S(c), net of reversed pairs, is
    summed over the customer's ageing days (`KhataAgeingDay`) dated on or after the oldest
    cutoff (today - 90 days), read from the covering ``ix_khata_ageing_days_business_day``.
    """
    cutoffs = [today - timedelta(days=d) for d in BUCKET_DAYS]
    day = KhataAgeingDay
    recent = (
        select(
            day.customer_id,
            *[
                func.coalesce(func.sum(day.increase_minor).filter(day.day >= c), 0).label(f"s{d}")
                for d, c in zip(BUCKET_DAYS, cutoffs, strict=True)
            ],
        )
        .where(day.business_id == business_id, day.day >= min(cutoffs))
        .group_by(day.customer_id)
        .subquery("recent")
    )
    b = KhataBalance.balance_minor
    owed = b > 0
    younger = [_least(b, func.coalesce(recent.c[f"s{d}"], 0)) for d in BUCKET_DAYS]  # min(B, S)
    buckets = [younger[0], younger[1] - younger[0], younger[2] - younger[1], b - younger[2]]

    def total(expr: Any) -> ColumnElement[Any]:
        return func.coalesce(func.sum(expr).filter(owed), 0)

    collections = collections_this_month(business_id, today)
    return (
        select(
            total(b),
            func.coalesce(func.sum(-b).filter(b < 0), 0),
            func.count().filter(owed),
            *[total(x) for x in buckets],
            collections,
        )
        .select_from(
            KhataBalance.__table__.outerjoin(
                recent, recent.c.customer_id == KhataBalance.customer_id
            )
        )
        .where(KhataBalance.business_id == business_id)
    )


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
    row = (await session.execute(summary_statement(business_id, today))).one()
    values = [int(v or 0) for v in row]
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
