"""Walk-in orders recorded by a shop's staff, on credit into the khata."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from haat.catalog.models import Product, ProductStatus
from tests.conftest import Caller, Factory


async def new_customer(client: httpx.AsyncClient, staff: Caller, business_id: object) -> dict:  # type: ignore[type-arg]
    r = await client.post(
        "/api/customers",
        headers=staff.headers,
        json={"business_id": str(business_id), "name": "Meena Sharma", "phone": "+919811122233"},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_credit_sale_lands_in_the_khata(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    editor = market["pottery_editor"]
    customer = await new_customer(client, editor, market["pottery"].id)
    hidden = await factory.product(
        market["pottery"],
        title="Counter-only plate",
        status=ProductStatus.UNPUBLISHED,
        price_minor=20000,
    )
    r = await client.post(
        "/api/orders",
        headers=editor.headers,
        json={
            "customer_id": customer["id"],
            "on_credit": True,
            "items": [
                {"product_id": str(market["vase"].id), "quantity": 2},
                {"product_id": str(hidden.id), "quantity": 1},
            ],
        },
    )
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["buyer_id"] is None and order["customer_name"] == "Meena Sharma"
    assert order["on_credit"] and order["subtotal_minor"] == 2 * 150000 + 20000
    balance = (
        await client.get(f"/api/customers/{customer['id']}/khata", headers=editor.headers)
    ).json()
    assert balance["balance_minor"] == order["total_minor"]
    async with factory.session() as s:
        left = await s.scalar(select(Product.stock_quantity).where(Product.id == market["vase"].id))
    assert left == 3
    listed = (
        await client.get(
            "/api/orders",
            headers=editor.headers,
            params={"business": str(market["pottery"].id), "search": "meena"},
        )
    ).json()
    assert [o["id"] for o in listed["items"]] == [order["id"]]


async def test_cash_sale_leaves_the_khata_alone(client: httpx.AsyncClient, market: dict) -> None:
    editor = market["pottery_editor"]
    customer = await new_customer(client, editor, market["pottery"].id)
    r = await client.post(
        "/api/orders",
        headers=editor.headers,
        json={
            "customer_id": customer["id"],
            "items": [{"product_id": str(market["bowl"].id), "quantity": 1}],
        },
    )
    assert r.status_code == 201 and not r.json()["on_credit"]
    balance = (
        await client.get(f"/api/customers/{customer['id']}/khata", headers=editor.headers)
    ).json()
    assert balance["balance_minor"] == 0


async def test_walk_in_refusals(client: httpx.AsyncClient, market: dict) -> None:
    editor = market["pottery_editor"]
    customer = await new_customer(client, editor, market["pottery"].id)
    body = {
        "customer_id": customer["id"],
        "items": [{"product_id": str(market["shawl"].id), "quantity": 1}],
    }
    r = await client.post("/api/orders", headers=editor.headers, json=body)
    assert r.status_code == 422  # another business's product
    body["items"] = [{"product_id": str(market["vase"].id), "quantity": 99}]
    r = await client.post("/api/orders", headers=editor.headers, json=body)
    assert r.status_code == 409 and r.json()["reason"] == "out_of_stock"
    body["items"] = [{"product_id": str(market["vase"].id), "quantity": 1}]
    r = await client.post("/api/orders", headers=market["pottery_viewer"].headers, json=body)
    assert r.status_code == 403
    r = await client.post("/api/orders", headers=market["weaver"].headers, json=body)
    assert r.status_code == 404
    r = await client.post("/api/orders", json=body)
    assert r.status_code == 401
    r = await client.post(
        "/api/orders", headers=editor.headers, json={"customer_id": customer["id"], "items": []}
    )
    assert r.status_code == 422
