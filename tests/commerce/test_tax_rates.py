"""`/api/tax-rates`: platform admins set GST per category; carts use it through the tree."""

from __future__ import annotations

import uuid

import httpx

from haat.catalog.models import Category
from haat.identity.models import PlatformRole
from tests.conftest import Factory

SOURCE = "Notification 1/2017-Central Tax (Rate), Schedule I"


async def _categories(factory: Factory) -> tuple[Category, Category]:
    async with factory.session() as s:
        parent = Category(name="Textiles", slug=f"textiles-{uuid.uuid4().hex[:6]}")
        s.add(parent)
        await s.flush()
        child = Category(name="Stoles", slug=f"stoles-{uuid.uuid4().hex[:6]}", parent_id=parent.id)
        s.add(child)
        await s.commit()
    return parent, child


async def test_a_rate_set_on_a_parent_applies_to_carts_below_it(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    parent, child = await _categories(factory)
    admin = await factory.user("ops", role=PlatformRole.ADMIN)
    seller = await factory.user("weaver")
    shop = await factory.business(seller)
    stole = await factory.product(shop, price_minor=100000, category_id=child.id)
    buyer = await factory.user("buyer")
    r = await client.put(
        f"/api/tax-rates/{parent.id}",
        headers=admin.headers,
        json={"rate_bp": 500, "source": SOURCE},
    )
    assert r.status_code == 200, r.text
    assert r.json()["category_slug"] == parent.slug and r.json()["rate_bp"] == 500
    await client.post("/api/cart/items", headers=buyer.headers, json={"product_id": str(stole.id)})
    line = (await client.get("/api/cart", headers=buyer.headers)).json()["lines"][0]
    assert (line["tax_rate_bp"], line["tax_minor"]) == (500, 5000)

    changed = await client.put(
        f"/api/tax-rates/{parent.id}",
        headers=admin.headers,
        json={"rate_bp": 1200, "source": SOURCE},
    )
    assert changed.json()["rate_bp"] == 1200
    listed = (await client.get("/api/tax-rates")).json()
    assert [(x["category_id"], x["rate_bp"]) for x in listed] == [(str(parent.id), 1200)]

    assert (
        await client.delete(f"/api/tax-rates/{parent.id}", headers=admin.headers)
    ).status_code == 204
    line = (await client.get("/api/cart", headers=buyer.headers)).json()["lines"][0]
    assert line["tax_rate_bp"] == 1800  # back to the standard rate
    assert (await client.get("/api/tax-rates")).json() == []


async def test_only_platform_admins_set_rates(client: httpx.AsyncClient, factory: Factory) -> None:
    parent, _ = await _categories(factory)
    seller = await factory.user("seller", role=PlatformRole.SELLER)
    body = {"rate_bp": 0, "source": SOURCE}
    assert (await client.put(f"/api/tax-rates/{parent.id}", json=body)).status_code == 401
    forbidden = await client.put(f"/api/tax-rates/{parent.id}", headers=seller.headers, json=body)
    assert forbidden.status_code == 403
    assert (
        await client.delete(f"/api/tax-rates/{parent.id}", headers=seller.headers)
    ).status_code == 403
    assert (await client.get("/api/tax-rates")).json() == []


async def test_bad_rates_and_unknown_categories(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    parent, _ = await _categories(factory)
    admin = await factory.user("ops", role=PlatformRole.ADMIN)
    for body in (
        {"rate_bp": -1, "source": SOURCE},
        {"rate_bp": 10_001, "source": SOURCE},
        {"rate_bp": 500},
    ):
        r = await client.put(f"/api/tax-rates/{parent.id}", headers=admin.headers, json=body)
        assert r.status_code == 422 and r.json()["type"] == "validation_error", body
    missing = await client.put(
        f"/api/tax-rates/{uuid.uuid4()}",
        headers=admin.headers,
        json={"rate_bp": 500, "source": SOURCE},
    )
    assert missing.status_code == 404 and missing.json()["type"] == "not_found"
