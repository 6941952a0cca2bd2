"""Prices in the viewer's currency: products, cart, favourites; never silently converted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import update

from haat.core import money
from haat.core.db import Database, utcnow
from haat.fx import service
from haat.fx.seed import seed_fx_rates
from haat.identity.models import PlatformRole, User
from tests.conftest import Factory


@pytest.fixture
async def seeded(db: Database) -> None:
    async with db.session() as s:
        await seed_fx_rates(s)
        await s.commit()


async def expected(
    db: Database, amount: int, source: str, target: str
) -> tuple[int, Decimal, date]:
    """The conversion the fx service itself gives today: (amount, rate, rate date)."""
    async with db.session(write=False) as s:
        quote = await service.quote(s, source, target, utcnow().date())
    return money.convert(amount, source, target, quote.rate), quote.rate, quote.as_of


async def test_product_list_and_detail_show_the_display_price(
    client: httpx.AsyncClient, factory: Factory, db: Database, seeded: None
) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner)
    vase = await factory.product(shop, title="Blue pottery vase", price_minor=150000)
    await factory.product(shop, title="Brass lamp", price_minor=9900, currency="USD")

    r = await client.get("/api/products", params={"display_currency": "EUR"})
    assert r.status_code == 200, r.text
    items = {i["title"]: i for i in r.json()["items"]}
    amount, rate, as_of = await expected(db, 150000, "INR", "EUR")
    shown = items["Blue pottery vase"]
    # The amounts of record stay; the converted one sits beside them, labelled.
    assert (shown["price_minor"], shown["currency"]) == (150000, "INR")
    assert shown["display_price"] == {
        "currency": "EUR",
        "converted": True,
        "approximate": True,
        "amount_minor": amount,
        "rate": format(rate, "f"),
        "rate_as_of": as_of.isoformat(),
        "via": "USD",  # INR -> EUR crosses the seeded USD rates
    }
    assert 0 < amount < 150000
    usd_amount, usd_rate, _ = await expected(db, 9900, "USD", "EUR")
    lamp = items["Brass lamp"]["display_price"]
    assert lamp["amount_minor"] == usd_amount and lamp["via"] is None
    assert Decimal(lamp["rate"]) == usd_rate

    detail = await client.get(f"/api/products/{vase.id}", params={"display_currency": "jpy"})
    assert detail.status_code == 200
    jpy = detail.json()["display_price"]
    assert (
        jpy["currency"] == "JPY"
        and jpy["amount_minor"] == (await expected(db, 150000, "INR", "JPY"))[0]
    )

    # Nothing asked for (anonymous) or the product's own currency: no display price.
    plain = (await client.get(f"/api/products/{vase.id}")).json()
    assert plain["display_price"] is None
    same = (await client.get(f"/api/products/{vase.id}", params={"display_currency": "INR"})).json()
    assert same["display_price"] is None


async def test_signed_in_users_see_their_own_currency(
    client: httpx.AsyncClient, factory: Factory, db: Database, seeded: None
) -> None:
    owner = await factory.user("owner")
    vase = await factory.product(await factory.business(owner), price_minor=150000)
    buyer = await factory.user("lena")
    async with db.session() as s:
        await s.execute(update(User).where(User.id == buyer.id).values(currency="GBP"))
        await s.commit()
    r = await client.get(f"/api/products/{vase.id}", headers=buyer.headers)
    assert r.json()["display_price"]["currency"] == "GBP"
    assert (
        r.json()["display_price"]["amount_minor"] == (await expected(db, 150000, "INR", "GBP"))[0]
    )
    # The parameter wins over the profile.
    r = await client.get(
        f"/api/products/{vase.id}", headers=buyer.headers, params={"display_currency": "CHF"}
    )
    assert r.json()["display_price"]["currency"] == "CHF"


async def test_a_missing_rate_shows_the_original_only(
    client: httpx.AsyncClient, factory: Factory, seeded: None
) -> None:
    owner = await factory.user("owner")
    vase = await factory.product(await factory.business(owner), price_minor=150000)
    # No Kenyan shilling rate is stored: a clear flag, no amount, no error.
    r = await client.get(f"/api/products/{vase.id}", params={"display_currency": "KES"})
    assert r.status_code == 200
    body = r.json()
    assert body["price_minor"] == 150000 and body["currency"] == "INR"
    assert body["display_price"] == {
        "currency": "KES",
        "converted": False,
        "approximate": True,
        "amount_minor": None,
        "rate": None,
        "rate_as_of": None,
        "via": None,
    }


async def test_no_rate_at_all_before_seeding(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    await factory.product(await factory.business(owner), price_minor=150000)
    r = await client.get("/api/products", params={"display_currency": "EUR"})
    assert r.status_code == 200
    assert r.json()["items"][0]["display_price"]["converted"] is False


@pytest.mark.parametrize("bad", ["ZZZ", "EURO", "12", ""])
async def test_bad_display_currency_is_422(client: httpx.AsyncClient, bad: str) -> None:
    r = await client.get("/api/products", params={"display_currency": bad})
    assert r.status_code == 422
    assert r.json()["type"] == "validation_error"
    assert r.json()["errors"][0]["loc"] == ["query", "display_currency"]


async def test_cart_lines_and_totals_per_currency(
    client: httpx.AsyncClient, factory: Factory, db: Database, seeded: None
) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner)
    vase = await factory.product(shop, price_minor=150000)
    lamp = await factory.product(shop, title="Brass lamp", price_minor=9900, currency="USD")
    buyer = await factory.user("buyer")
    for product, quantity in ((vase, 2), (lamp, 1)):
        r = await client.post(
            "/api/cart/items",
            headers=buyer.headers,
            params={"display_currency": "EUR"},
            json={"product_id": str(product.id), "quantity": quantity},
        )
        assert r.status_code == 200, r.text
    cart = r.json()
    assert cart["display_currency"] == "EUR"
    by_currency = {t["currency"]: t for t in cart["totals"]}
    assert set(by_currency) == {"INR", "USD"}  # never added together
    for total in cart["totals"]:
        want = (await expected(db, total["total_minor"], total["currency"], "EUR"))[0]
        assert total["display_total"]["amount_minor"] == want
    for line in cart["lines"]:
        unit = (await expected(db, line["seen_price_minor"], line["currency"], "EUR"))[0]
        whole = (await expected(db, line["total_minor"], line["currency"], "EUR"))[0]
        assert line["display_price"]["amount_minor"] == unit
        assert line["display_total"]["amount_minor"] == whole
    # The buyer's own currency (INR by default) applies without the parameter.
    cart = (await client.get("/api/cart", headers=buyer.headers)).json()
    assert cart["display_currency"] == "INR"
    inr_line = next(x for x in cart["lines"] if x["currency"] == "INR")
    usd_line = next(x for x in cart["lines"] if x["currency"] == "USD")
    assert inr_line["display_price"] is None
    assert usd_line["display_total"]["currency"] == "INR"
    assert usd_line["total_minor"] == 9900 + 1782  # the amount of record, in USD


async def test_favourites_show_the_display_price(
    client: httpx.AsyncClient, factory: Factory, db: Database, seeded: None
) -> None:
    owner = await factory.user("owner")
    vase = await factory.product(await factory.business(owner), price_minor=150000)
    buyer = await factory.user("buyer")
    await client.put(f"/api/favorites/{vase.id}", headers=buyer.headers)
    r = await client.get(
        "/api/favorites", headers=buyer.headers, params={"display_currency": "SGD"}
    )
    (favourite,) = r.json()
    assert favourite["price_minor"] == 150000 and favourite["currency"] == "INR"
    assert (
        favourite["display_price"]["amount_minor"] == (await expected(db, 150000, "INR", "SGD"))[0]
    )
    r = await client.get("/api/favorites", headers=buyer.headers, params={"display_currency": "X"})
    assert r.status_code == 422


async def test_the_public_cache_varies_by_display_currency(
    cached_client: httpx.AsyncClient, factory: Factory, seeded: None
) -> None:
    owner = await factory.user("owner")
    await factory.product(await factory.business(owner), price_minor=150000)
    shown = {}
    for currency in ("EUR", "USD", "EUR", "USD"):
        r = await cached_client.get("/api/products", params={"display_currency": currency})
        shown.setdefault(currency, []).append(r)
    for currency, (first, second) in shown.items():
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
        assert second.json()["items"][0]["display_price"]["currency"] == currency
    assert shown["EUR"][1].content != shown["USD"][1].content


async def test_a_new_rate_empties_the_public_cache(
    cached_client: httpx.AsyncClient, factory: Factory, seeded: None
) -> None:
    owner = await factory.user("owner")
    await factory.product(await factory.business(owner), price_minor=150000)
    admin = await factory.user("admin", role=PlatformRole.ADMIN)
    params = {"display_currency": "EUR"}
    before = await cached_client.get("/api/products", params=params)
    assert (await cached_client.get("/api/products", params=params)).headers["x-cache"] == "HIT"
    r = await cached_client.post(
        "/api/fx-rates",
        headers=admin.headers,
        json={"base": "INR", "quote": "EUR", "rate": "0.5", "as_of": utcnow().date().isoformat()},
    )
    assert r.status_code == 201, r.text
    after = await cached_client.get("/api/products", params=params)
    assert after.headers["x-cache"] == "MISS"
    price = after.json()["items"][0]["display_price"]
    assert price["rate"] == "0.5" and price["amount_minor"] == 75000 and price["via"] is None
    assert before.json()["items"][0]["display_price"]["amount_minor"] != 75000
