"""The status histories of payments and milestones: who moved them (None for a provider's
webhook), from where, to where and why, as the API shows them; one transition under
concurrency."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from haat.core.db import Database
from haat.payments.providers import Providers
from tests.payments.conftest import (
    STRIPE_ACCOUNT,
    Shop,
    assert_balanced,
    entry_count,
    move,
    pay,
    place_order,
    stripe_webhook,
    use_provider,
)
from tests.payments.fakes.stripe_api import FakeStripe
from tests.payments.test_milestones import SPLIT, fund, plan, release_path


def moves(body: dict[str, Any]) -> list[tuple[str | None, str, str | None, str | None]]:
    """``(from, to, actor id, note)`` of each change in a payment's or milestone's history."""
    return [(h["from_status"], h["to_status"], h["actor_id"], h["note"]) for h in body["history"]]


async def payment_of(client: httpx.AsyncClient, caller: Any, payment_id: str) -> dict[str, Any]:
    r = await client.get(f"/api/payments/{payment_id}", headers=caller.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_confirmed_then_refunded(client: httpx.AsyncClient, shop: Shop) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    opened = await pay(client, shop.buyer, order["id"], method="upi")
    assert opened.status_code == 201, opened.text
    buyer, editor, owner = str(shop.buyer.id), str(shop.editor.id), str(shop.owner.id)
    assert moves(opened.json()) == [(None, "pending", buyer, "opened through manual")]

    confirm = f"/api/payments/{opened.json()['id']}/confirm"
    r = await client.post(confirm, headers=shop.editor.headers)
    assert r.status_code == 200, r.text
    confirmed = [
        (None, "pending", buyer, "opened through manual"),
        ("pending", "succeeded", editor, "confirmed by staff"),
    ]
    assert moves(r.json()) == confirmed

    assert (await move(client, shop.owner, order["id"], "cancelled")).status_code == 200
    refunded = confirmed + [("succeeded", "refunded", owner, "order cancelled")]
    # The buyer and the seller's staff see the same history, in the list and alone.
    assert moves(await payment_of(client, shop.buyer, opened.json()["id"])) == refunded
    listed = await client.get(f"/api/orders/{order['id']}/payments", headers=shop.viewer.headers)
    assert [moves(p) for p in listed.json()] == [refunded]


async def test_rejected_and_cancelled_with_the_order(client: httpx.AsyncClient, shop: Shop) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    rejected = (await pay(client, shop.buyer, order["id"])).json()
    r = await client.post(f"/api/payments/{rejected['id']}/reject", headers=shop.owner.headers)
    assert r.status_code == 200 and r.json()["status"] == "failed"
    assert moves(r.json())[1:] == [("pending", "failed", str(shop.owner.id), "rejected by staff")]

    pending = (await pay(client, shop.buyer, order["id"])).json()
    assert (await move(client, shop.buyer, order["id"], "cancelled")).status_code == 200
    assert moves(await payment_of(client, shop.buyer, pending["id"]))[1:] == [
        ("pending", "cancelled", str(shop.buyer.id), "order cancelled")
    ]


async def test_webhooks_move_payments_without_an_actor(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    intent = payment["provider_reference"]
    assert (await stripe_webhook(client, stripe_fake.decline(intent))).json()["outcome"] == "failed"
    event = stripe_fake.pay(intent)
    assert (await stripe_webhook(client, event)).json()["outcome"] == "funded"
    assert (await stripe_webhook(client, event)).json()["outcome"] == "duplicate"
    assert moves(await payment_of(client, shop.owner, payment["id"])) == [
        (None, "pending", str(shop.buyer.id), "opened through stripe"),
        ("pending", "failed", None, "stripe webhook"),
        ("failed", "succeeded", None, "stripe webhook"),
    ]


async def test_milestone_history_has_actors_and_notes(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    order = await place_order(client, shop.buyer, shop.vase, quantity=2)
    oid = order["id"]
    advance, check, _ = (await plan(client, shop, oid, SPLIT)).json()
    assert moves(advance) == [(None, "pending", str(shop.editor.id), None)]
    await fund(client, shop, oid, advance)
    r = await client.post(
        release_path(oid, advance), headers=shop.buyer.headers, json={"note": "production started"}
    )
    assert moves(r.json())[1:] == [
        ("pending", "funded", str(shop.editor.id), None),
        ("funded", "released", str(shop.buyer.id), "production started"),
    ]
    await fund(client, shop, oid, check)
    r = await client.post(
        release_path(oid, check, "refund"), headers=shop.admin.headers, json={"note": "cracked"}
    )
    assert r.status_code == 200, r.text
    assert moves(r.json())[-1] == ("funded", "refunded", str(shop.admin.id), "cracked")
    paid = await client.get(f"/api/orders/{oid}/payments", headers=shop.buyer.headers)
    check_payment = next(p for p in paid.json() if p["milestone_id"] == check["id"])
    assert moves(check_payment)[-1] == ("succeeded", "refunded", str(shop.admin.id), "cracked")


async def test_concurrent_confirms_make_one_transition(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"], method="cash")).json()
    confirm = f"/api/payments/{payment['id']}/confirm"
    results = await asyncio.gather(
        *(client.post(confirm, headers=caller.headers) for caller in (shop.owner, shop.editor))
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    history = moves(await payment_of(client, shop.buyer, payment["id"]))
    assert [to for _, to, _, _ in history] == ["pending", "succeeded"]
    assert await entry_count(db) == 2  # one fund entry: two postings
    await assert_balanced(db)
