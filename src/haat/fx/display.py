"""Prices shown in the viewer's currency, beside the amounts of record.

A display conversion never replaces an amount: the original ``price_minor`` and ``currency``
stay what is charged, and the converted figure travels beside them as a `DisplayPrice`,
labelled approximate, naming the rate, its date and the stored rows it came from. The rate is
the one in force today (UTC): the latest stored rate dated on or before today, direct or
crossed through USD (`haat.fx.service.quote`). Without a rate the display price says so
(``converted: false``, no amount) and the caller shows the original only; nothing fails.

The viewer's currency is the ``display_currency`` query parameter when given, else the
signed-in user's profile ``currency``, else none (no display prices at all).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from haat.core import money
from haat.core.db import utcnow
from haat.fx import repository
from haat.fx.schemas import DisplayPrice
from haat.fx.service import Quote, RateNotFound, quote
from haat.identity.actor import Actor


async def display_currency_for(
    session: AsyncSession, actor: Actor, requested: str | None
) -> str | None:
    """The currency to show prices in: ``requested`` (an already validated ISO 4217 code)
    when given, else the signed-in user's profile currency, else None."""
    if requested is not None:
        return requested
    if actor.user_id is None:
        return None
    if actor.currency is not None:  # read with the user's row by get_actor: no query
        return actor.currency
    return await repository.profile_currency(session, actor.user_id)


class DisplayConverter:
    """Converts amounts of several currencies into one display currency, with one rate
    lookup per source currency (`prepare`), then without touching the database (`price`)."""

    def __init__(self, target: str | None, on: date) -> None:
        self.target = target
        self.on = on
        self._quotes: dict[str, Quote | None] = {}

    @classmethod
    async def load(
        cls, session: AsyncSession, target: str | None, currencies: Iterable[str]
    ) -> DisplayConverter:
        """A converter to ``target`` (None: no display prices) ready for ``currencies``,
        at today's (UTC) rates."""
        converter = cls(target, utcnow().date())
        await converter.prepare(session, currencies)
        return converter

    async def prepare(self, session: AsyncSession, currencies: Iterable[str]) -> None:
        """Look up the rate of each of ``currencies`` into the target (once per currency)."""
        if self.target is None:
            return
        for currency in sorted(set(currencies) - self._quotes.keys() - {self.target}):
            try:
                self._quotes[currency] = await quote(session, currency, self.target, self.on)
            except RateNotFound:
                self._quotes[currency] = None

    @property
    def rates_as_of(self) -> date | None:
        """The date of the oldest rate prepared (what a page's "rates of ..." note names);
        None when no rate was found or needed."""
        dates = [q.as_of for q in self._quotes.values() if q is not None]
        return min(dates) if dates else None

    def price(self, amount_minor: int, currency: str) -> DisplayPrice | None:
        """``amount_minor`` of ``currency`` in the target currency for display, rounded
        half-even to the target's minor unit (`haat.core.money.convert`). None when there is
        no target or it is ``currency`` itself; ``converted=False`` when no rate is stored.
        Raises `KeyError` for a currency not prepared."""
        if self.target is None or currency == self.target:
            return None
        found = self._quotes[currency]
        if found is None:
            return DisplayPrice(currency=self.target, converted=False, amount_minor=None)
        return DisplayPrice(
            currency=self.target,
            converted=True,
            amount_minor=money.convert(amount_minor, currency, self.target, found.rate),
            rate=found.rate,
            rate_as_of=found.as_of,
            via=found.via,
        )


async def converter_for(
    session: AsyncSession, actor: Actor, requested: str | None, currencies: Iterable[str]
) -> DisplayConverter:
    """`DisplayConverter.load` for the viewer's currency (`display_currency_for`)."""
    target = await display_currency_for(session, actor, requested)
    return await DisplayConverter.load(session, target, currencies)
