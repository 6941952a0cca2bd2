"""The recent trend of a metal rate, for `GET /api/predictions/trends`.

The window is the last ``days`` days up to today (UTC). Its points are the rates in force
during it: the one in force on the window's first day (usually dated before it) and every
rate dated inside it, oldest first. ``change`` is the current rate minus the first point,
``change_percent`` that change over the first point x 100, rounded half-even to 2 places;
the average is the mean of the points, half up, in paise. With the monthly seeded gold
series a 30-day window holds one or two points: the trend says what was entered, no more.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from haat.catalog.models import Metal
from haat.core.db import utcnow
from haat.core.errors import NotFound
from haat.pricing import repository
from haat.pricing.jewellery import half_up
from haat.pricing.schemas import TrendOut, TrendPoint

MAX_DAYS = 3660


class NoRates(NotFound):
    code, title = "no_metal_rates", "No rates have been entered for this metal"


async def trend(session: AsyncSession, metal: Metal, days: int) -> TrendOut:
    """The rates of ``metal`` in force during the last ``days`` days with their average,
    minimum, maximum, current value and change. Raises `NoRates` (404) when no rate of the
    metal is dated on or before today."""
    today = utcnow().date()
    start = today - timedelta(days=days - 1)
    opening = await repository.in_force(session, metal, start)
    inside = await repository.dated_within(session, metal, start, today)
    rows = ([opening] if opening is not None else []) + inside
    if not rows:
        raise NoRates(
            f"No {metal.value} rate has been entered yet. Haat ships only the gold series; "
            "a platform admin enters other rates (POST /api/metal-rates) or imports a CSV.",
            metal=metal.value,
        )
    values = [r.rate_minor_per_g for r in rows]
    first, current = values[0], values[-1]
    change = current - first
    percent = (Decimal(change) * 100 / Decimal(first)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    return TrendOut(
        metal=metal,
        days=days,
        window_from=start,
        window_to=today,
        points=[TrendPoint(as_of=r.as_of, rate_minor_per_g=r.rate_minor_per_g) for r in rows],
        average_minor_per_g=half_up(sum(values), len(values)),
        min_minor_per_g=min(values),
        max_minor_per_g=max(values),
        current_minor_per_g=current,
        current_as_of=rows[-1].as_of,
        change_minor_per_g=change,
        change_percent=format(percent, "f"),
    )
