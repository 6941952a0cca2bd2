"""Prices in the viewer's currency beside the price of record: from the Accept-Language
region, the switcher (session or profile), labelled approximate with the rates' date, on the
product, search, home, cart and favourites pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import select

from haat.core.db import utcnow
from haat.fx.models import FxRate
from haat.identity.models import User
from tests.conftest import Factory
from tests.web.conftest import post_form, web_login

EUR_PER_INR = Decimal("0.0110")  # 1,500.00 INR -> 16.50 EUR
_GERMAN_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def _plain(html: str) -> str:
    """Babel separates amount and symbol with no-break spaces: plain spaces here."""
    return html.replace("\xa0", " ").replace("\u202f", " ")


async def _rates(factory: Factory) -> date:
    as_of = utcnow().date() - timedelta(days=2)
    async with factory.session() as s:
        s.add(
            FxRate(
                base_currency="INR",
                quote_currency="EUR",
                as_of=as_of,
                rate=EUR_PER_INR,
                source="test",
            )
        )
        await s.commit()
    return as_of


async def test_accept_language_region_shows_euros(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    as_of = await _rates(factory)
    shop = await factory.business(await factory.user("potter"))
    vase = await factory.product(shop, title="Blue pottery vase", price_minor=150000)
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    for path in (f"/products/{vase.id}", "/search?q=pottery", "/"):
        page = await client.get(path, headers=german)
        assert page.status_code == 200
        text = _plain(page.text)
        assert "≈ 16,50 €" in text, path  # German formatting of the converted amount
        assert "1.500,00 ₹" in text, path  # the price of record beside it
        assert f"{as_of.day}. {_GERMAN_MONTHS[as_of.month - 1]} {as_of.year}" in text, path
    indian = await client.get(f"/products/{vase.id}", headers={"Accept-Language": "en-IN"})
    assert "≈" not in indian.text and "₹1,500.00" in indian.text  # same currency: nothing


async def test_switcher_and_profile_currency(client: httpx.AsyncClient, factory: Factory) -> None:
    await _rates(factory)
    shop = await factory.business(await factory.user("potter"))
    vase = await factory.product(shop, price_minor=150000)
    r = await post_form(client, "/currency", {"currency": "EUR", "next": "/"})
    assert r.status_code == 303
    page = await client.get(f"/products/{vase.id}", headers={"Accept-Language": "en-GB"})
    page_text = _plain(page.text)
    assert "≈ €16.50" in page_text and "₹1,500.00" in page_text
    assert "approximate prices in EUR" in page_text
    unknown = await post_form(client, "/currency", {"currency": "XXX"})  # ignored
    assert unknown.status_code == 303

    buyer = await factory.user("buyer")
    client.cookies.clear()
    await web_login(client, buyer)
    await post_form(client, "/currency", {"currency": "EUR"})
    async with factory.session() as s:
        assert await s.scalar(select(User.currency).where(User.id == buyer.id)) == "EUR"
    await post_form(client, "/cart/items", {"product_id": str(vase.id), "quantity": "2"})
    await post_form(client, f"/products/{vase.id}/favorite", {"favourite": "on"})
    cart = await client.get("/cart")
    assert "≈ €38.94" in cart.text and "₹3,540.00" in cart.text  # the line total (GST in) too
    favourites = await client.get("/favorites")
    assert "≈ €16.50" in favourites.text
    # No stored rate: the original price alone, nothing fails.
    await post_form(client, "/currency", {"currency": "JPY"})
    page = await client.get(f"/products/{vase.id}")
    assert page.status_code == 200 and "≈" not in page.text
