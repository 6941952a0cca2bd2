"""Prices in the viewer's currency on the storefront, beside the price of record.

The display currency is, in order: the signed-in user's profile currency (the switcher
saves it there), the switcher's choice kept in the session for anonymous visitors, the
currency of the ``Accept-Language`` region (CLDR's territory currency, via Babel: ``de-DE`` →
EUR, ``en-GB`` → GBP), else none. Amounts are converted by `haat.fx.display` at today's
stored rates; the pages label them approximate and name the rates' date
(``partials/price.html``, ``partials/price_note.html``). What is charged never changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.numbers import get_territory_currencies

from haat.core.deps import DbSession
from haat.fx.display import DisplayConverter
from haat.web import i18n
from haat.web.security import cookie
from haat.web.viewer import Viewer

# The switcher's choices (ISO 4217); any currency with a stored rate converts.
DISPLAY_CURRENCIES = ("INR", "USD", "EUR", "GBP", "JPY", "AUD", "CAD", "SGD", "AED", "BDT")
_SESSION_KEY = "cur"


def region_currency(region: str | None) -> str | None:
    """The legal tender of a territory today (``"DE"`` → ``"EUR"``), if it is offered."""
    if not region:
        return None
    try:
        found = get_territory_currencies(region.upper(), tender=True)
    except Exception:  # babel raises plain errors for unknown territories
        return None
    return next((c for c in found if c in DISPLAY_CURRENCIES), None)


def display_currency(viewer: Viewer) -> str | None:
    """The viewer's display currency (module doc), or None."""
    if viewer.user is not None:
        return viewer.user.currency
    chosen = cookie(viewer.request).get(_SESSION_KEY)
    if isinstance(chosen, str) and chosen in DISPLAY_CURRENCIES:
        return chosen
    accepted = i18n.parse_accept_language(viewer.request.headers.get("accept-language"))
    return region_currency(accepted[1]) if accepted else None


def remember_currency(viewer: Viewer, code: str) -> None:
    """The switcher's choice for an anonymous visitor."""
    cookie(viewer.request)[_SESSION_KEY] = code


async def converter(
    viewer: Viewer, session: DbSession, currencies: Iterable[str]
) -> DisplayConverter:
    """A converter into the viewer's currency, ready for ``currencies`` (one rate lookup
    per distinct currency, whatever the number of prices on the page)."""
    return await DisplayConverter.load(session, display_currency(viewer), currencies)
