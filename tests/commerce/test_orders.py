"""`/api/orders`: visibility, the status machine, notes, lists with filters."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from haat.catalog.models import Product
from tests.commerce.conftest import ADDRESS
from tests.conftest import Caller, Factory


async def place(client: httpx.AsyncClient, buyer: Caller, product, quantity: int = 1) -> dict:  # type: ignore[no-untyped-def,type-arg]
    await client.post(
        "/api/cart/items",
        headers=buyer.headers,
        json={"product_id": str(product.id), "quantity": quantity},
    )
    r = await client.post(
        "/api/orders/checkout",
        headers={**buyer.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"delivery_address": ADDRESS},
    )
    assert r.status_code == 201, r.text
    return r.json()[0]


async def move(
    client: httpx.AsyncClient, caller: Caller, order: dict, status: str
) -> httpx.Response:  # type: ignore[type-arg]
    return await client.put(
        f"/api/orders/{order['id']}/status",
        headers=caller.headers,
        json={"status": status, "note": f"to {status}"},
    )


async def test_full_lifecycle_with_history(client: httpx.AsyncClient, market: dict) -> None:
    order = await place(client, market["buyer"], market["vase"])
    editor = market["pottery_editor"]
    for status in ["confirmed", "processing", "shipped", "delivered"]:
        r = await move(client, editor, order, status)
        assert r.status_code == 200 and r.json()["status"] == status
    done = await move(client, market["buyer"], order, "completed")
    assert done.status_code == 200 and done.json()["completed_at"] is not None
    history = (
        await client.get(f"/api/orders/{order['id']}/history", headers=market["buyer"].headers)
    ).json()
    assert [h["to_status"] for h in history] == [
        "pending",
        "confirmed",
        "processing",
        "shipped",
        "delivered",
        "completed",
    ]
    assert history[-1]["actor_id"] == str(market["buyer"].id)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        (["confirmed", "processing", "shipped"], "cancelled"),
        ([], "shipped"),
        ([], "completed"),
        (["confirmed"], "pending"),
    ],
)
async def test_refused_transitions(
    client: httpx.AsyncClient, market: dict, path: list[str], target: str
) -> None:
    order = await place(client, market["buyer"], market["bowl"])
    for status in path:
        assert (await move(client, market["potter"], order, status)).status_code == 200
    r = await move(client, market["potter"], order, target)
    assert r.status_code == 409


async def test_cancel_restocks(client: httpx.AsyncClient, market: dict, factory: Factory) -> None:
    order = await place(client, market["buyer"], market["vase"], 3)
    r = await move(client, market["buyer"], order, "cancelled")
    assert r.status_code == 200 and r.json()["cancelled_at"] is not None
    async with factory.session() as s:
        assert (
            await s.scalar(select(Product.stock_quantity).where(Product.id == market["vase"].id))
            == 5
        )
    # A buyer cannot cancel once the seller is processing (staff still can).
    order = await place(client, market["buyer"], market["vase"], 1)
    await move(client, market["potter"], order, "confirmed")
    await move(client, market["potter"], order, "processing")
    assert (await move(client, market["buyer"], order, "cancelled")).status_code == 409
    assert (await move(client, market["potter"], order, "cancelled")).status_code == 200


async def test_who_sees_and_moves_an_order(client: httpx.AsyncClient, market: dict) -> None:
    order = await place(client, market["buyer"], market["vase"])
    url = f"/api/orders/{order['id']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=market["buyer"].headers)).status_code == 200
    assert (await client.get(url, headers=market["pottery_viewer"].headers)).status_code == 200
    assert (await client.get(url, headers=market["other_buyer"].headers)).status_code == 404
    assert (await client.get(url, headers=market["weaver"].headers)).status_code == 404
    assert (await move(client, market["pottery_viewer"], order, "confirmed")).status_code == 403
    assert (await move(client, market["weaver"], order, "confirmed")).status_code == 404
    assert (await move(client, market["buyer"], order, "confirmed")).status_code == 403


async def test_notes(client: httpx.AsyncClient, market: dict) -> None:
    order = await place(client, market["buyer"], market["vase"])
    url = f"/api/orders/{order['id']}/notes"
    r = await client.put(
        url,
        headers=market["potter"].headers,
        json={"notes": "Ships Monday", "admin_notes": "fragile: double box"},
    )
    assert r.status_code == 200 and r.json()["admin_notes"] == "fragile: double box"
    r = await client.put(url, headers=market["buyer"].headers, json={"admin_notes": "x"})
    assert r.status_code == 403
    r = await client.put(url, headers=market["buyer"].headers, json={"notes": "Thank you"})
    assert r.json()["notes"] == "Thank you"


async def test_business_lists_with_filters(client: httpx.AsyncClient, market: dict) -> None:
    first = await place(client, market["buyer"], market["vase"])
    await place(client, market["other_buyer"], market["bowl"])
    await place(client, market["buyer"], market["shawl"])  # another business
    await move(client, market["potter"], first, "confirmed")
    bid = str(market["pottery"].id)
    r = await client.get(
        "/api/orders", headers=market["pottery_viewer"].headers, params={"business": bid}
    )
    assert r.json()["total"] == 2
    r = await client.get(
        "/api/orders",
        headers=market["potter"].headers,
        params={"business": bid, "status": "confirmed"},
    )
    assert [o["id"] for o in r.json()["items"]] == [first["id"]]
    r = await client.get(
        "/api/orders",
        headers=market["potter"].headers,
        params={"business": bid, "search": first["number"][-6:]},
    )
    assert [o["id"] for o in r.json()["items"]] == [first["id"]]
    r = await client.get(
        "/api/orders", headers=market["potter"].headers, params={"business": bid, "search": "lena"}
    )
    assert r.json()["total"] == 2
    r = await client.get(
        "/api/orders",
        headers=market["potter"].headers,
        params={"business": bid, "date_from": "2999-01-01"},
    )
    assert r.json()["total"] == 0
    r = await client.get("/api/orders", headers=market["weaver"].headers, params={"business": bid})
    assert r.status_code == 403


async def test_internal_notes_reach_staff_never_the_buyer(
    client: httpx.AsyncClient, market: dict
) -> None:
    order = await place(client, market["buyer"], market["vase"])
    r = await client.put(
        f"/api/orders/{order['id']}/notes",
        headers=market["pottery_editor"].headers,
        json={"admin_notes": "buyer haggled hard", "notes": "ships Monday"},
    )
    assert r.status_code == 200 and r.json()["admin_notes"] == "buyer haggled hard"
    buyer = market["buyer"].headers
    assert "admin_notes" not in order
    detail = (await client.get(f"/api/orders/{order['id']}", headers=buyer)).json()
    assert detail["notes"] == "ships Monday" and "admin_notes" not in detail
    mine = (await client.get("/api/orders", headers=buyer)).json()["items"]
    assert mine and all("admin_notes" not in o for o in mine)
    own_edit = await client.put(
        f"/api/orders/{order['id']}/notes", headers=buyer, json={"notes": "ring first"}
    )
    assert own_edit.status_code == 200 and "admin_notes" not in own_edit.json()
    viewer = market["pottery_viewer"].headers
    seen = (await client.get(f"/api/orders/{order['id']}", headers=viewer)).json()
    assert seen["admin_notes"] == "buyer haggled hard"
    listed = await client.get(
        "/api/orders", headers=viewer, params={"business": str(market["pottery"].id)}
    )
    assert listed.json()["items"][0]["admin_notes"] == "buyer haggled hard"
