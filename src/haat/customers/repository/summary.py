"""The SQL of a business's khata summary: one SELECT over the running balances and the ageing
days (`haat.customers.summary` explains the FIFO ageing it computes)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core.db import table_of
from haat.customers.models import EntryKind, KhataAgeingDay, KhataBalance, KhataEntry

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
    """The one SELECT that computes the summary row: the total receivable, the advances, the
    customers with dues, the four ageing buckets and this month's collections.

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
            table_of(KhataBalance).outerjoin(
                recent, recent.c.customer_id == KhataBalance.customer_id
            )
        )
        .where(KhataBalance.business_id == business_id)
    )


async def summary_row(session: AsyncSession, business_id: uuid.UUID, today: date) -> list[int]:
    """`summary_statement`'s row as integers (minor units; the third is a count)."""
    row = (await session.execute(summary_statement(business_id, today))).one()
    return [int(v or 0) for v in row]
