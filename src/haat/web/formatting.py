"""Formatting for the pages, in one place: money, numbers, dates and times per locale (Babel,
CLDR patterns) and the labels of statuses. Registered as Jinja filters by `templating`.

Each filter reads the page's `Language` from the template context (``lang``), so the same
template renders ``₹1,50,000.00`` for ``en_IN`` and ``150.000,00 ₹`` for ``de``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from jinja2 import pass_context
from jinja2.runtime import Context

from haat.core.money import format_money, to_decimal
from haat.web.i18n import Language


def _lang(ctx: Context) -> Language:
    lang: Language = ctx["lang"]
    return lang


@pass_context
def money(ctx: Context, minor: int | None, currency: str | None) -> str:
    """Integer minor units of ``currency`` for people: ``money(15000000, "INR")`` is
    ``₹1,50,000.00`` in ``en_IN`` and ``hi``. Empty for a missing amount."""
    if minor is None or not currency:
        return ""
    return format_money(minor, currency, _lang(ctx).locale)


@pass_context
def number(ctx: Context, value: int | float | Decimal | None) -> str:
    """A count or quantity with the locale's grouping (1,50,000 in ``hi``)."""
    if value is None:
        return ""
    return format_decimal(value, locale=_lang(ctx).locale)


@pass_context
def percent_bp(ctx: Context, basis_points: int) -> str:
    """Basis points as a percentage, every place kept: 1800 -> ``18%`` (GST rates),
    1250 -> ``12.5%`` (a making charge)."""
    return format_percent(
        Decimal(basis_points).scaleb(-4), locale=_lang(ctx).locale, decimal_quantization=False
    )


@pass_context
def day(ctx: Context, value: date | datetime | None, form: str = "medium") -> str:
    """A calendar day (``medium``: ``1 Dec 2026`` in ``en_IN``)."""
    if value is None:
        return ""
    return format_date(value, format=form, locale=_lang(ctx).locale)


@pass_context
def moment(ctx: Context, value: datetime | None, form: str = "medium") -> str:
    """A point in time, in UTC as stored (the zone is printed)."""
    if value is None:
        return ""
    return format_datetime(value, format=form, tzinfo=value.tzinfo, locale=_lang(ctx).locale)


def major(minor: int | None, currency: str) -> str:
    """Minor units as a plain major-unit number for a form field (``150000`` -> ``1500.00``)."""
    if minor is None:
        return ""
    return str(to_decimal(minor, currency))


FILTERS: dict[str, Any] = {
    "money": money,
    "number": number,
    "percent_bp": percent_bp,
    "day": day,
    "moment": moment,
    "major": major,
}
