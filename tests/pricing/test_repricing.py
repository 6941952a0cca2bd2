"""A new rate re-prices the metal's jewellery and the open carts, in the same transaction."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from haat.catalog.models import Product, ProductJewellery, ProductStatus
from haat.commerce.models import CartLine
from tests.commerce.conftest import ADDRESS
from tests.conftest import Factory
from tests.pricing.conftest import add_rate, days_ago, put_jewellery


async def _cart(client: httpx.AsyncClient, buyer: Any) -> dict[str, Any]:
    return (await client.get("/api/cart", headers=buyer.headers)).json()


async def _price(factory: Factory, product: Any) -> int:
    async with factory.session() as s:
        return int(await s.scalar(select(Product.price_minor).where(Product.id == product.id)))


async def test_new_rate_reprices_products_and_carts_and_checkout_goes_through(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory
) -> None:
    admin, buyer, chain = shop["admin"], shop["buyer"], shop["chain"]
    await add_rate(client, admin, "gold", 712345, days_ago(10))
    await put_jewellery(client, shop["editor"], chain)
    r = await client.post(
        "/api/cart/items", headers=buyer.headers, json={"product_id": str(chain.id), "quantity": 2}
    )
    assert r.status_code == 200
    assert r.json()["lines"][0]["seen_price_minor"] == 7_490_792
    # Jewellery pays 3 % in the cart too, whatever (here: no) category it is in.
    assert r.json()["lines"][0]["tax_rate_bp"] == 300

    r = await add_rate(client, admin, "gold", 720000, days_ago(0))
    assert r.status_code == 201
    assert r.json()["repriced"] == {"metal": "gold", "products": 1, "cart_lines": 1}
    # 720000 x 10.250 x 0.916 = 6,760,080; + 12 % = 811,209.6 -> 811,210; = 7,571,290
    assert await _price(factory, chain) == 7_571_290
    product = (await client.get(f"/api/products/{chain.id}")).json()
    assert product["jewellery"]["rate_minor_per_g"] == 720000
    assert product["jewellery"]["gst_minor"] == 227_139  # 3 % of 7,571,290 = 227,138.7
    line = (await _cart(client, buyer))["lines"][0]
    assert (line["seen_price_minor"], line["price_minor"]) == (7_571_290, 7_571_290)
    assert line["price_changed"] is False
    assert line["subtotal_minor"] == 15_142_580
    assert line["tax_minor"] == 454_277  # 3 % of 15,142,580 = 454,277.4
    r = await client.post(
        "/api/orders/checkout",
        headers={**buyer.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"delivery_address": ADDRESS},
    )
    assert r.status_code == 201, r.text
    (order,) = r.json()
    assert order["total_minor"] == 15_142_580 + 454_277


async def test_an_older_rate_or_another_metal_changes_nothing(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory
) -> None:
    admin = shop["admin"]
    await add_rate(client, admin, "gold", 712345, days_ago(10))
    await put_jewellery(client, shop["editor"], shop["chain"])
    r = await add_rate(client, admin, "gold", 650000, days_ago(30))
    assert r.json()["repriced"]["products"] == 0
    r = await add_rate(client, admin, "silver", 9000, days_ago(0))
    assert r.json()["repriced"] == {"metal": "silver", "products": 0, "cart_lines": 0}
    assert await _price(factory, shop["chain"]) == 7_490_792


async def test_correcting_and_deleting_rates(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory
) -> None:
    admin, chain = shop["admin"], shop["chain"]
    old = (await add_rate(client, admin, "gold", 700000, days_ago(10))).json()["rate"]
    new = (await add_rate(client, admin, "gold", 712345, days_ago(2))).json()["rate"]
    await put_jewellery(client, shop["editor"], chain)
    r = await client.patch(
        f"/api/metal-rates/{new['id']}", json={"rate_minor_per_g": 720000}, headers=admin.headers
    )
    assert r.json()["repriced"]["products"] == 1
    assert await _price(factory, chain) == 7_571_290
    # Deleting the rate in force goes back to the one before it.
    r = await client.delete(f"/api/metal-rates/{new['id']}", headers=admin.headers)
    assert r.status_code == 200 and r.json()["products"] == 1
    # 700000 x 10.25 x 0.916 = 6,572,300; + 12 % = 788,676; = 7,360,976
    assert await _price(factory, chain) == 7_360_976
    # The last rate jewellery is priced from cannot go.
    r = await client.delete(f"/api/metal-rates/{old['id']}", headers=admin.headers)
    assert r.status_code == 409 and r.json()["type"] == "metal_rate_in_use"
    assert await _price(factory, chain) == 7_360_976


async def test_archived_products_keep_their_price(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory
) -> None:
    admin, chain = shop["admin"], shop["chain"]
    await add_rate(client, admin, "gold", 712345, days_ago(10))
    await put_jewellery(client, shop["editor"], chain)
    r = await client.post(f"/api/products/{chain.id}/archive", headers=shop["editor"].headers)
    assert r.status_code == 200
    r = await add_rate(client, admin, "gold", 720000, days_ago(0))
    assert r.json()["repriced"]["products"] == 0
    assert await _price(factory, chain) == 7_490_792


async def test_seller_spec_change_still_stops_checkout(
    client: httpx.AsyncClient, shop: dict[str, Any]
) -> None:
    admin, buyer, chain = shop["admin"], shop["buyer"], shop["chain"]
    await add_rate(client, admin, "gold", 712345, days_ago(10))
    await put_jewellery(client, shop["editor"], chain)
    await client.post(
        "/api/cart/items", headers=buyer.headers, json={"product_id": str(chain.id), "quantity": 1}
    )
    await put_jewellery(client, shop["editor"], chain, weight_g="11.000")
    line = (await _cart(client, buyer))["lines"][0]
    assert line["price_changed"] is True
    r = await client.post(
        "/api/orders/checkout",
        headers={**buyer.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"delivery_address": ADDRESS},
    )
    assert r.status_code == 409 and r.json()["reason"] == "price_changed"


async def test_import_reprices_once_per_metal(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory
) -> None:
    admin = shop["admin"]
    await add_rate(client, admin, "gold", 712345, days_ago(10))
    await put_jewellery(client, shop["editor"], shop["chain"])
    text = f"metal,date,inr_per_gram\ngold,{days_ago(1).isoformat()},7200\n"
    files = {"file": ("ibja.csv", text.encode(), "text/csv")}
    r = await client.post("/api/metal-rates/import", files=files, headers=admin.headers)
    assert r.status_code == 200, r.text
    assert r.json()["repriced"] == [{"metal": "gold", "products": 1, "cart_lines": 0}]
    assert await _price(factory, shop["chain"]) == 7_571_290
    async with factory.session() as s:
        row = await s.get(ProductJewellery, shop["chain"].id)
        assert row is not None and row.rate_source == "CSV import ibja.csv"
        product = await s.get(Product, shop["chain"].id)
        assert product is not None and product.status == ProductStatus.APPROVED
        assert await s.scalar(select(CartLine.id)) is None
