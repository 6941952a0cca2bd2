"""`POST /api/orders/checkout`: one order per seller, idempotent, never overselling."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from haat.catalog.models import Product, ProductStatus
from haat.commerce.models import CartLine, Order, OrderItem, OrderStatusChange
from tests.commerce.conftest import ADDRESS
from tests.conftest import Caller, Factory


async def add(client: httpx.AsyncClient, caller: Caller, product, quantity: int = 1) -> None:  # type: ignore[no-untyped-def]
    r = await client.post(
        "/api/cart/items",
        headers=caller.headers,
        json={"product_id": str(product.id), "quantity": quantity},
    )
    assert r.status_code == 200, r.text


async def checkout(
    client: httpx.AsyncClient, caller: Caller, key: str | None = None, **body: object
) -> httpx.Response:
    headers = {**caller.headers, "Idempotency-Key": key or uuid.uuid4().hex}
    return await client.post(
        "/api/orders/checkout", headers=headers, json={"delivery_address": ADDRESS, **body}
    )


async def stock(factory: Factory, product) -> int:  # type: ignore[no-untyped-def]
    async with factory.session() as s:
        return int(await s.scalar(select(Product.stock_quantity).where(Product.id == product.id)))


async def test_two_sellers_make_two_orders(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer = market["buyer"]
    await add(client, buyer, market["vase"], 2)
    await add(client, buyer, market["bowl"], 1)
    await add(client, buyer, market["shawl"], 1)
    r = await checkout(client, buyer, notes="Gift wrap please")
    assert r.status_code == 201, r.text
    orders = r.json()
    assert len(orders) == 2
    by_business = {o["business_id"]: o for o in orders}
    pottery = by_business[str(market["pottery"].id)]
    assert [i["title"] for i in pottery["items"]] == ["Blue pottery vase", "Blue pottery bowl"]
    assert pottery["subtotal_minor"] == 2 * 150000 + 45000
    assert pottery["total_minor"] == pottery["subtotal_minor"] + pottery["tax_minor"]
    assert pottery["status"] == "pending" and pottery["payment_status"] == "unpaid"
    assert pottery["delivery_address"]["city"] == "Berlin"
    for order in orders:
        assert order["number"].startswith("HT-2026-") and len(order["number"]) == 14
    assert len({o["number"] for o in orders}) == 2
    assert await stock(factory, market["vase"]) == 3
    assert await stock(factory, market["shawl"]) == 1
    assert (await client.get("/api/cart", headers=buyer.headers)).json()["lines"] == []
    mine = (await client.get("/api/orders", headers=buyer.headers)).json()
    assert mine["total"] == 2


async def test_replay_returns_the_same_orders(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer = market["buyer"]
    await add(client, buyer, market["vase"], 1)
    first = await checkout(client, buyer, key="key-0001-abcdef")
    again = await checkout(client, buyer, key="key-0001-abcdef")
    assert first.status_code == 201 and again.status_code == 200
    assert [o["id"] for o in again.json()] == [o["id"] for o in first.json()]
    assert await stock(factory, market["vase"]) == 4  # reserved once
    other = await checkout(client, buyer, key="key-0001-abcdef", notes="different body")
    assert other.status_code == 422 and other.json()["type"] == "idempotency_key_reused"
    r = await client.post(
        "/api/orders/checkout", headers=buyer.headers, json={"delivery_address": ADDRESS}
    )
    assert r.status_code == 422  # the key is required


async def test_stale_lines_are_named(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer, vase, bowl = market["buyer"], market["vase"], market["bowl"]
    await add(client, buyer, vase, 2)
    await add(client, buyer, bowl, 1)
    async with factory.session() as s:
        product = await s.get(Product, bowl.id)
        product.price_minor = 50000
        await s.commit()
    r = await checkout(client, buyer)
    assert r.status_code == 409
    assert r.json()["reason"] == "price_changed" and r.json()["product_id"] == str(bowl.id)
    # Nothing was reserved or ordered: the whole checkout rolled back.
    assert await stock(factory, vase) == 5
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 0
    empty = await checkout(client, market["other_buyer"])
    assert empty.status_code == 409


async def test_out_of_stock_at_checkout(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer, shawl = market["buyer"], market["shawl"]
    await add(client, buyer, shawl, 2)
    async with factory.session() as s:
        product = await s.get(Product, shawl.id)
        product.stock_quantity = 1
        await s.commit()
    r = await checkout(client, buyer)
    assert r.status_code == 409 and r.json()["reason"] == "out_of_stock"
    assert await stock(factory, shawl) == 1


async def test_fifty_buyers_for_the_last_ten_units(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    seller = await factory.user("seller")
    shop = await factory.business(seller)
    lamp = await factory.product(shop, title="Brass lamp", stock_quantity=10)
    buyers = [await factory.user(f"b{i}") for i in range(50)]
    for buyer in buyers:
        await add(client, buyer, lamp, 1)
    results = await asyncio.gather(*(checkout(client, b) for b in buyers))
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(201) == 10 and statuses.count(409) == 40, statuses
    assert await stock(factory, lamp) == 0
    async with factory.session() as s:
        sold = await s.scalar(
            select(func.sum(OrderItem.quantity)).where(OrderItem.product_id == lamp.id)
        )
    assert sold == 10


async def test_a_crash_mid_checkout_leaves_nothing(
    client: httpx.AsyncClient,
    market: dict,
    factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    app: FastAPI,
) -> None:
    from haat.commerce import checkout as checkout_module

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut after the stock and the orders were written")

    buyer = market["buyer"]
    await add(client, buyer, market["vase"], 2)
    # The behaviour event is recorded after every write of the checkout, before the commit.
    monkeypatch.setattr(checkout_module, "record", explode)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as crashing:
        r = await checkout(crashing, buyer, key="crash-key-123")
    assert r.status_code == 500
    assert await stock(factory, market["vase"]) == 5
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 0
        assert await s.scalar(select(func.count()).select_from(OrderItem)) == 0
        lines = await s.scalar(select(func.count()).select_from(CartLine))
        assert lines == 1  # the cart is still there
    monkeypatch.undo()
    # The key was not consumed: the retry goes through.
    assert (await checkout(client, buyer, key="crash-key-123")).status_code == 201


async def test_a_concurrent_twin_with_the_same_key_replays(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer, vase = market["buyer"], market["vase"]
    await add(client, buyer, vase, 2)
    first, second = await asyncio.gather(
        checkout(client, buyer, key="twin-key-0001"), checkout(client, buyer, key="twin-key-0001")
    )
    assert sorted([first.status_code, second.status_code]) == [200, 201]
    assert [o["id"] for o in first.json()] == [o["id"] for o in second.json()]
    assert await stock(factory, vase) == 3  # reserved once
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 1


async def test_the_stock_update_refuses_what_it_cannot_serve(
    market: dict, factory: Factory
) -> None:
    from haat.catalog.stock import OutOfStock, take_all

    vase, shawl = market["vase"], market["shawl"]  # 5 and 2 in stock
    async with factory.session() as s:
        with pytest.raises(OutOfStock) as refused:
            await take_all(s, [(vase.id, 1, vase.title), (shawl.id, 3, shawl.title)])
        assert refused.value.extra["product_id"] == str(shawl.id)
        await s.rollback()
    assert await stock(factory, vase) == 5 and await stock(factory, shawl) == 2
    async with factory.session() as s:
        await take_all(s, [(vase.id, 5, vase.title), (shawl.id, 2, shawl.title)])
        await s.commit()
    assert await stock(factory, vase) == 0 and await stock(factory, shawl) == 0


async def test_the_write_takes_all_the_stock_or_writes_nothing(
    client: httpx.AsyncClient, market: dict, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stock UPDATE's own conditions are the last word: a line it cannot serve (here a
    product unpublished, with the checks before it switched off) refuses the whole checkout,
    and nothing of the write (PostgreSQL: the one statement; SQLite: the statements before
    the refusal) survives."""
    from haat.commerce import checkout as checkout_module

    buyer, vase, shawl = market["buyer"], market["vase"], market["shawl"]
    await add(client, buyer, vase, 1)
    await add(client, buyer, shawl, 1)
    async with factory.session() as s:
        product = await s.get(Product, shawl.id)
        assert product is not None
        product.status = ProductStatus.UNPUBLISHED
        await s.commit()
    monkeypatch.setattr(checkout_module, "_validate", lambda line, product: None)
    r = await checkout(client, buyer)
    assert r.status_code == 409, r.text
    assert r.json()["reason"] == "out_of_stock" and r.json()["product_id"] == str(shawl.id)
    assert await stock(factory, vase) == 5 and await stock(factory, shawl) == 2
    async with factory.session() as s:
        for table in (Order, OrderItem, OrderStatusChange):
            assert await s.scalar(select(func.count()).select_from(table)) == 0
        assert await s.scalar(select(func.count()).select_from(CartLine)) == 2


async def test_an_empty_cart_does_not_use_up_the_key(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    """The key is claimed with the cart read; a 409 for an empty cart takes the claim back,
    so the same key checks out once the cart is filled."""
    buyer = market["buyer"]
    empty = await checkout(client, buyer, key="first-try-key")
    assert empty.status_code == 409, empty.text
    await add(client, buyer, market["vase"], 1)
    assert (await checkout(client, buyer, key="first-try-key")).status_code == 201


async def test_a_replay_leaves_a_refilled_cart_alone(
    client: httpx.AsyncClient, market: dict, factory: Factory
) -> None:
    buyer = market["buyer"]
    await add(client, buyer, market["vase"], 1)
    first = await checkout(client, buyer, key="once-only-key")
    assert first.status_code == 201
    await add(client, buyer, market["shawl"], 1)  # a new cart, then the old request again
    again = await checkout(client, buyer, key="once-only-key")
    assert again.status_code == 200 and again.json() == first.json()
    assert await stock(factory, market["shawl"]) == 2  # nothing taken for the new cart
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(CartLine)) == 1
        assert await s.scalar(select(func.count()).select_from(Order)) == 1
