"""Behaviour events: recorded after the commit only, from every shopper path, never in the way."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from haat.core.db import Database, session_scope
from haat.core.events import EVENT_SINK, EventBuffer
from haat.identity.actor import Actor
from haat.insights.models import BehaviourEvent, EventKind
from haat.insights.recorder import record, store_writer
from tests.commerce.conftest import ADDRESS
from tests.conftest import Caller
from tests.insights.conftest import context_of, kinds, written

K = EventKind


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def add(
    client: httpx.AsyncClient, caller: Caller, product, quantity: int = 1
) -> httpx.Response:  # type: ignore[no-untyped-def]
    return await client.post(
        "/api/cart/items",
        headers=caller.headers,
        json={"product_id": str(product.id), "quantity": quantity},
    )


async def checkout(client: httpx.AsyncClient, caller: Caller) -> httpx.Response:
    headers = {**caller.headers, "Idempotency-Key": uuid.uuid4().hex}
    return await client.post(
        "/api/orders/checkout", headers=headers, json={"delivery_address": ADDRESS}
    )


async def test_cart_favourites_checkout_and_cancel_are_recorded(
    client: httpx.AsyncClient, app: FastAPI, market: dict
) -> None:
    buyer, vase, shawl = market["buyer"], market["vase"], market["shawl"]
    assert (await add(client, buyer, vase, 2)).status_code == 200
    await client.patch(f"/api/cart/items/{vase.id}", headers=buyer.headers, json={"quantity": 3})
    await client.patch(f"/api/cart/items/{vase.id}", headers=buyer.headers, json={"quantity": 1})
    await add(client, buyer, shawl)
    await client.delete(f"/api/cart/items/{shawl.id}", headers=buyer.headers)
    await client.delete(f"/api/cart/items/{shawl.id}", headers=buyer.headers)  # nothing left
    for _ in range(2):  # idempotent: one event
        await client.put(f"/api/favorites/{shawl.id}", headers=buyer.headers)
    for _ in range(2):
        await client.delete(f"/api/favorites/{shawl.id}", headers=buyer.headers)
    r = await checkout(client, buyer)
    assert r.status_code == 201, r.text
    (order,) = r.json()
    r = await client.put(
        f"/api/orders/{order['id']}/status", headers=buyer.headers, json={"status": "cancelled"}
    )
    assert r.status_code == 200, r.text

    events = await written(app)
    assert kinds(events) == [
        "cart_item_added",
        "cart_item_added",
        "cart_item_removed",
        "cart_item_added",
        "cart_item_removed",
        "favorite_added",
        "favorite_removed",
        "checked_out",
        "order_cancelled",
    ]
    assert {e.user_id for e in events} == {buyer.id}
    assert [c["quantity"] for c in context_of(events, K.CART_ITEM_ADDED)] == [2, 1, 1]
    assert [c["quantity"] for c in context_of(events, K.CART_ITEM_REMOVED)] == [2, 1]
    assert events[0].product_id == vase.id and events[0].context["currency"] == "INR"
    (checked_out,) = context_of(events, K.CHECKED_OUT)
    assert (
        checked_out["order_id"] == order["id"]
        and checked_out["total_minor"] == order["total_minor"]
    )
    assert checked_out["order_number"] == order["number"] and checked_out["lines"] == 1
    (cancelled,) = context_of(events, K.ORDER_CANCELLED)
    assert cancelled == {
        "order_id": order["id"],
        "order_number": order["number"],
        "from_status": "pending",
        "by": "buyer",
        "currency": "INR",
        "total_minor": order["total_minor"],
    }
    assert all(e.occurred_at <= e.created_at for e in events)


async def test_staff_cancelling_is_recorded_for_the_buyer(
    client: httpx.AsyncClient, app: FastAPI, market: dict
) -> None:
    buyer = market["buyer"]
    await add(client, buyer, market["vase"])
    (order,) = (await checkout(client, buyer)).json()
    r = await client.put(
        f"/api/orders/{order['id']}/status",
        headers=market["potter"].headers,
        json={"status": "cancelled"},
    )
    assert r.status_code == 200
    (event,) = await written(app, K.ORDER_CANCELLED)
    assert event.user_id == buyer.id and event.context["by"] == "staff"


async def test_failed_requests_record_nothing(
    client: httpx.AsyncClient, app: FastAPI, market: dict
) -> None:
    buyer = market["buyer"]
    assert (await add(client, buyer, market["shawl"], 3)).status_code == 409  # only 2 left
    assert (await add(client, buyer, market["draft"])).status_code == 404
    # A checkout that fails half-way (the second seller's stock is gone) rolls back whole.
    await add(client, buyer, market["vase"])
    await add(client, buyer, market["shawl"], 2)
    async with app.state.wiring.db.session() as s:
        from sqlalchemy import update

        from haat.catalog.models import Product

        await s.execute(
            update(Product).where(Product.id == market["shawl"].id).values(stock_quantity=1)
        )
        await s.commit()
    assert (await checkout(client, buyer)).status_code == 409
    events = await written(app)
    assert kinds(events) == ["cart_item_added", "cart_item_added"]


async def test_a_rolled_back_transaction_buffers_nothing(db: Database, app: FastAPI) -> None:
    buffer: EventBuffer = app.state.wiring.events
    await buffer.flush()
    actor = Actor(user_id=uuid.uuid4())
    with pytest.raises(RuntimeError):
        async with session_scope(db) as s:
            s.sync_session.info[EVENT_SINK] = buffer
            record(s, actor, K.FAVORITE_ADDED, product_id=uuid.uuid4())
            raise RuntimeError("the request failed after recording")
    assert len(buffer.pending) == 0
    async with session_scope(db) as s:
        s.sync_session.info[EVENT_SINK] = buffer
        record(s, actor, K.FAVORITE_ADDED, product_id=uuid.uuid4())
        assert len(buffer.pending) == 0  # not before the commit
    assert len(buffer.pending) == 1
    (event,) = await written(app)
    assert event.user_id == actor.user_id


async def test_a_broken_store_never_fails_a_request_and_loses_nothing(
    client: httpx.AsyncClient, app: FastAPI, market: dict
) -> None:
    buffer: EventBuffer = app.state.wiring.events
    working = buffer.writer
    # A real store that is down: nothing listens on port 1.
    broken = Database("postgresql+asyncpg://postgres@127.0.0.1:1/haat_down", null_pool=True)
    failures = metric("haat_events_flush_failures_total")
    buffer.writer = store_writer(broken)
    try:
        r = await add(client, market["buyer"], market["vase"])
        assert r.status_code == 200
        r = await client.put(f"/api/favorites/{market['bowl'].id}", headers=market["buyer"].headers)
        assert r.status_code == 204
        assert await buffer.flush() == 0
        assert metric("haat_events_flush_failures_total") == failures + 1
        assert len(buffer.pending) == 2  # kept for the next attempt
    finally:
        buffer.writer = working
        await broken.dispose()
    events = await written(app)
    assert kinds(events) == ["cart_item_added", "favorite_added"]


async def test_a_full_buffer_drops_and_counts(db: Database) -> None:
    buffer = EventBuffer(store_writer(db), max_pending=2)
    dropped = metric("haat_events_dropped_total", reason="buffer_full")
    row = {
        "occurred_at": None,
        "kind": K.SEARCHED,
        "user_id": None,
        "session_id": None,
        "product_id": None,
        "context": {},
    }
    for _ in range(3):
        buffer.add(dict(row))
    assert len(buffer.pending) == 2
    assert metric("haat_events_dropped_total", reason="buffer_full") == dropped + 1


async def test_the_background_writer_batches_and_flushes_on_stop(db: Database) -> None:
    from haat.core.db import utcnow

    buffer = EventBuffer(store_writer(db), batch_size=3, flush_interval_s=60)
    buffer.start()
    row = {
        "kind": K.SEARCHED,
        "user_id": None,
        "session_id": "visitor-1",
        "product_id": None,
        "context": {"query": "brass"},
    }
    for _ in range(4):
        buffer.add({**row, "occurred_at": utcnow()})
    await buffer.stop()  # the full batch of 3 went (or goes) out, and the 4th on stop
    assert len(buffer.pending) == 0
    async with db.session(write=False) as s:
        count = await s.scalar(select(func.count()).select_from(BehaviourEvent))
    assert count == 4


async def test_views_and_searches_with_the_anonymous_session(
    client: httpx.AsyncClient, app: FastAPI, market: dict
) -> None:
    vase = market["vase"]
    r = await client.get(f"/api/products/{vase.id}", headers={"X-Session-Id": "visitor-abc-123"})
    assert r.status_code == 200
    await client.get(f"/api/products/{vase.id}", headers={"Cookie": "haat_sid=cookie-visitor-9"})
    await client.get(f"/api/products/{vase.id}", headers={"X-Session-Id": "bad id!"})
    await client.get(
        "/api/products", params={"search": "blue pottery"}, headers=market["buyer"].headers
    )
    await client.get("/api/products", params={"search": "nothing-like-this"})
    await client.get(f"/api/products/{market['draft'].id}", headers=market["weaver"].headers)
    await client.get("/api/products")  # browsing is not a search

    events = await written(app)
    assert kinds(events) == ["product_viewed"] * 3 + ["searched"] * 2  # no event for the draft
    assert [e.session_id for e in events[:3]] == ["visitor-abc-123", "cookie-visitor-9", None]
    assert all(e.user_id is None and e.product_id == vase.id for e in events[:3])
    assert events[0].context["business_id"] == str(market["pottery"].id)
    search, miss = events[3], events[4]
    assert search.user_id == market["buyer"].id
    assert (
        search.context["query"] == "blue pottery" and search.context["results"] == 3
    )  # every public product says so
    assert miss.context["results"] == 0 and miss.user_id is None
