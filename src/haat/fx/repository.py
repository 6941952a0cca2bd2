"""The SQL of exchange rates (``fx_rates``), and the one read of the viewer's profile currency."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import repository
from haat.core.pagination import PageParams
from haat.fx.models import FxRate
from haat.identity.models import User


async def latest_of_pair(session: AsyncSession, base: str, quote: str, on: date) -> FxRate | None:
    """The latest row of the pair, stored either way round (``base -> quote`` first on the
    same date), dated on or before ``on``; None when there is none."""
    return (
        await session.scalars(
            select(FxRate)
            .where(
                or_(
                    and_(FxRate.base_currency == base, FxRate.quote_currency == quote),
                    and_(FxRate.base_currency == quote, FxRate.quote_currency == base),
                ),
                FxRate.as_of <= on,
            )
            .order_by(FxRate.as_of.desc(), case((FxRate.base_currency == base, 0), else_=1))
            .limit(1)
        )
    ).one_or_none()


async def page_of_latest(
    session: AsyncSession, paging: PageParams, on: date, base: str | None, quote: str | None
) -> tuple[list[FxRate], int]:
    """The row in force on ``on`` for every stored pair (optionally of one base and/or quote
    currency), by base then quote: one page and the count, for `Page.of`."""
    filters = [FxRate.as_of <= on]
    if base is not None:
        filters.append(FxRate.base_currency == base)
    if quote is not None:
        filters.append(FxRate.quote_currency == quote)
    latest = (
        select(FxRate.base_currency, FxRate.quote_currency, func.max(FxRate.as_of).label("as_of"))
        .where(*filters)
        .group_by(FxRate.base_currency, FxRate.quote_currency)
        .subquery()
    )
    stmt = (
        select(FxRate)
        .join(
            latest,
            and_(
                FxRate.base_currency == latest.c.base_currency,
                FxRate.quote_currency == latest.c.quote_currency,
                FxRate.as_of == latest.c.as_of,
            ),
        )
        .order_by(FxRate.base_currency, FxRate.quote_currency)
    )
    return await repository.paginate(session, stmt, paging)


async def add_rate(session: AsyncSession, row: FxRate) -> None:
    """Store a new rate in a savepoint: raises `IntegrityError` (and leaves the transaction
    usable) when the pair already has a rate on that date."""
    async with repository.savepoint(session):
        await repository.add(session, row)


async def count_from_source(session: AsyncSession, source: str) -> int:
    """How many stored rates name ``source``."""
    count = select(func.count()).select_from(FxRate).where(FxRate.source == source)
    return int(await session.scalar(count) or 0)


async def insert_new_rates(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (column values of `FxRate`) in one statement, skipping those whose pair
    and date are already stored (``INSERT ... ON CONFLICT DO NOTHING``)."""
    dialect = repository.dialect(session)
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(FxRate)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["base_currency", "quote_currency", "as_of"])
    )


async def profile_currency(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    """The user's profile currency (identity's ``users``); no query when the session holds
    the user's row already."""
    user = await repository.get(session, User, user_id)
    if user is not None:
        return user.currency
    return await session.scalar(select(User.currency).where(User.id == user_id))
