"""`/api/cart` and `/api/favorites`."""

from __future__ import annotations

import httpx
import pytest

from tests.commerce.conftest import ADDRESS  # noqa: F401  (shared fixture module)
from tests.conftest import Factory


async def add(client: httpx.AsyncClient, caller, product, quantity: int = 1) -> httpx.Response:  # type: ignore[no-untyped-def]
    return await client.post(
        "/api/cart/items",
        headers=caller.headers,
        json={"product_id": str(product.id), "quantity": quantity},
    )


async def test_cart_lines_totals_and_gst(client: httpx.AsyncClient, market: dict) -> None:
    buyer = market["buyer"]
    assert (await add(client, buyer, market["vase"], 2)).status_code == 200
    r = await add(client, buyer, market["vase"])  # more of the same product: one line
    cart = r.json()
    assert len(cart["lines"]) == 1 and cart["lines"][0]["quantity"] == 3
    await add(client, buyer, market["shawl"])
    cart = (await client.get("/api/cart", headers=buyer.headers)).json()
    assert len(cart["lines"]) == 2
    line = cart["lines"][0]
    # No tax rate is configured for these categories: the standard 18 % applies.
    assert line["tax_rate_bp"] == 1800
    assert line["subtotal_minor"] == 3 * 150000
    assert line["tax_minor"] == 81000 and line["total_minor"] == 531000
    (inr,) = cart["totals"]
    assert inr["currency"] == "INR"
    assert inr["subtotal_minor"] == 450000 + 1850000
    assert inr["total_minor"] == inr["subtotal_minor"] + inr["tax_minor"]


async def test_cart_refuses_what_cannot_be_bought(client: httpx.AsyncClient, market: dict) -> None:
    buyer = market["buyer"]
    r = await add(client, buyer, market["draft"])
    assert r.status_code == 404
    r = await add(client, buyer, market["shawl"], 3)
    assert r.status_code == 409 and r.json()["type"] == "out_of_stock"
    assert r.json()["available"] == 2
    r = await client.post("/api/cart/items", json={"product_id": str(market["vase"].id)})
    assert r.status_code == 401
    r = await add(client, buyer, market["vase"], 0)
    assert r.status_code == 422


async def test_quantity_change_and_removal(client: httpx.AsyncClient, market: dict) -> None:
    buyer, vase = market["buyer"], market["vase"]
    await add(client, buyer, vase)
    r = await client.patch(
        f"/api/cart/items/{vase.id}", headers=buyer.headers, json={"quantity": 4}
    )
    assert r.json()["lines"][0]["quantity"] == 4
    r = await client.patch(
        f"/api/cart/items/{vase.id}", headers=buyer.headers, json={"quantity": 6}
    )
    assert r.status_code == 409
    r = await client.delete(f"/api/cart/items/{vase.id}", headers=buyer.headers)
    assert r.json() == {"lines": [], "totals": [], "display_currency": "INR"}
    # Another buyer's cart is untouched and separate.
    other = (await client.get("/api/cart", headers=market["other_buyer"].headers)).json()
    assert other["lines"] == [] and other["totals"] == []


async def test_price_change_is_shown(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer, vase = market["buyer"], market["vase"]
    await add(client, buyer, vase)
    async with factory.session() as s:
        product = await s.get(type(vase), vase.id)
        product.price_minor = 175000
        await s.commit()
    line = (await client.get("/api/cart", headers=buyer.headers)).json()["lines"][0]
    assert line["price_changed"] and line["seen_price_minor"] == 150000
    assert line["price_minor"] == 175000


async def test_favorites_are_idempotent(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer, shawl = market["buyer"], market["shawl"]
    for _ in range(2):
        assert (
            await client.put(f"/api/favorites/{shawl.id}", headers=buyer.headers)
        ).status_code == 204
    favs = (await client.get("/api/favorites", headers=buyer.headers)).json()
    assert [f["product_id"] for f in favs] == [str(shawl.id)] and favs[0]["available"]
    r = await client.put(f"/api/favorites/{market['draft'].id}", headers=buyer.headers)
    assert r.status_code == 404
    async with factory.session() as s:  # sold out: still a favourite, shown unavailable
        product = await s.get(type(shawl), shawl.id)
        product.stock_quantity = 0
        await s.commit()
    favs = (await client.get("/api/favorites", headers=buyer.headers)).json()
    assert favs[0]["available"] is False
    for _ in range(2):
        assert (
            await client.delete(f"/api/favorites/{shawl.id}", headers=buyer.headers)
        ).status_code == 204
    assert (await client.get("/api/favorites", headers=buyer.headers)).json() == []
    assert (await client.get("/api/favorites")).status_code == 401


async def test_a_cart_holds_a_limited_number_of_lines(
    client: httpx.AsyncClient, market: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from haat.commerce import cart

    monkeypatch.setattr(cart, "MAX_LINES", 2)
    buyer = market["buyer"]
    assert (await add(client, buyer, market["vase"])).status_code == 200
    assert (await add(client, buyer, market["bowl"])).status_code == 200
    r = await add(client, buyer, market["shawl"])
    assert r.status_code == 409 and "at most 2" in r.json()["detail"]
    # More of a product already in the cart is no new line.
    assert (await add(client, buyer, market["vase"])).status_code == 200
    lines = (await client.get("/api/cart", headers=buyer.headers)).json()["lines"]
    assert [(x["title"], x["quantity"]) for x in lines] == [
        ("Blue pottery vase", 2),
        ("Blue pottery bowl", 1),
    ]
