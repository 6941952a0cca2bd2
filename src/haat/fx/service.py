"""Exchange rates: look up the rate in force on a date, cross through USD, convert for display.

The rate in force on a day is the latest stored rate for the pair dated on or before that day.
A pair without a stored rate of its own is crossed through the US dollar, in which every seeded
rate is quoted: INR -> EUR = (EUR per USD) / (INR per USD). When both a direct and a crossed
rate exist the more recent one wins (the direct one on a tie). Every conversion reports the
rate it applied and the stored rows (with their dates) it came from: amounts are never
converted silently. Display only: money is charged and settled in its own currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import money
from haat.core.errors import Conflict, NotFound, Unprocessable
from haat.core.i18n import is_currency
from haat.core.pagination import PageParams
from haat.fx import repository
from haat.fx.models import FxRate
from haat.fx.schemas import FxRateCreate
from haat.identity.actor import Actor

USD = "USD"
# Cross and inverse rates keep 28 significant digits, rounded half-even.
_RATES = Context(prec=28, rounding=ROUND_HALF_EVEN)


class RateNotFound(NotFound):
    code, title = "fx_rate_not_found", "No exchange rate for this pair on this date"


@dataclass(frozen=True)
class Quote:
    """``rate`` units of ``to_currency`` per 1 ``from_currency``, derived from ``rates``
    (empty for a currency to itself). ``as_of`` is the date of the oldest row used and
    ``via`` the currency crossed through, if any."""

    from_currency: str
    to_currency: str
    rate: Decimal
    as_of: date
    via: str | None
    rates: tuple[FxRate, ...]


@dataclass(frozen=True)
class Conversion:
    """``amount_minor`` of ``from_currency`` is ``converted_minor`` of ``to_currency`` at
    ``quote``, the rate in force on ``on``."""

    amount_minor: int
    converted_minor: int
    on: date
    quote: Quote


def _check_currency(code: str) -> None:
    if not is_currency(code):
        raise Unprocessable(f"not an ISO 4217 currency code: {code!r}")


async def _latest(
    session: AsyncSession, base: str, quote: str, on: date
) -> tuple[Decimal, FxRate] | None:
    """Units of ``quote`` per 1 ``base`` from the latest row of the pair, stored either way
    round, dated on or before ``on``; None when there is none."""
    row = await repository.latest_of_pair(session, base, quote, on)
    if row is None:
        return None
    if row.base_currency == base:
        return row.rate, row
    return _RATES.divide(Decimal(1), row.rate), row


async def quote(session: AsyncSession, from_currency: str, to_currency: str, on: date) -> Quote:
    """The rate in force on ``on`` from ``from_currency`` to ``to_currency``, with its sources.

    Raises `Unprocessable` (422) for an unknown currency code and `RateNotFound` (404) when no
    rate, direct or through USD, is dated on or before ``on``.
    """
    _check_currency(from_currency)
    _check_currency(to_currency)
    if from_currency == to_currency:
        return Quote(from_currency, to_currency, Decimal(1), on, None, ())
    candidates: list[Quote] = []
    direct = await _latest(session, from_currency, to_currency, on)
    if direct is not None:
        rate, row = direct
        candidates.append(Quote(from_currency, to_currency, rate, row.as_of, None, (row,)))
    if USD not in (from_currency, to_currency):
        from_leg = await _latest(session, USD, from_currency, on)
        to_leg = await _latest(session, USD, to_currency, on)
        if from_leg is not None and to_leg is not None:
            rate = _RATES.divide(to_leg[0], from_leg[0])
            as_of = min(from_leg[1].as_of, to_leg[1].as_of)
            rows = (from_leg[1], to_leg[1])
            candidates.append(Quote(from_currency, to_currency, rate, as_of, USD, rows))
    if not candidates:
        raise RateNotFound(
            f"No {from_currency}->{to_currency} exchange rate is dated on or before {on}.",
            from_currency=from_currency,
            to_currency=to_currency,
            date=on.isoformat(),
        )
    # max() keeps the first of equals: the direct rate on a tie.
    return max(candidates, key=lambda q: q.as_of)


async def rate(session: AsyncSession, from_currency: str, to_currency: str, on: date) -> Decimal:
    """Units of ``to_currency`` per 1 ``from_currency`` in force on ``on``; see `quote`
    for how it is found and what it raises."""
    return (await quote(session, from_currency, to_currency, on)).rate


async def convert_for_display(
    session: AsyncSession, amount_minor: int, from_currency: str, to_currency: str, on: date
) -> Conversion:
    """``amount_minor`` of ``from_currency`` in minor units of ``to_currency`` at the rate in
    force on ``on`` (half-even, across the currencies' exponents, `haat.core.money.convert`).
    Raises as `quote` does."""
    found = await quote(session, from_currency, to_currency, on)
    converted = money.convert(amount_minor, from_currency, to_currency, found.rate)
    return Conversion(amount_minor, converted, on, found)


async def list_latest(
    session: AsyncSession, paging: PageParams, on: date, base: str | None, quote: str | None
) -> tuple[list[FxRate], int]:
    """The stored rate in force on ``on`` for every stored pair (optionally one base and/or
    quote currency), ordered by base then quote; returns ``(rows, counted)`` for `Page.of`."""
    return await repository.page_of_latest(session, paging, on, base, quote)


async def add_rate(session: AsyncSession, actor: Actor, data: FxRateCreate) -> FxRate:
    """Store a dated rate (platform admins only: 401 / 403 otherwise). Raises `Conflict`
    (409) when the pair already has a rate on that date; a correction is a new dated row."""
    user_id = actor.require_platform_admin()
    row = FxRate(
        base_currency=data.base,
        quote_currency=data.quote,
        rate=data.rate,
        as_of=data.as_of,
        source=data.source,
        created_by=user_id,
    )
    try:
        await repository.add_rate(session, row)
    except IntegrityError:
        raise Conflict(
            f"A {data.base}->{data.quote} rate dated {data.as_of} already exists."
        ) from None
    return row
