"""Razorpay through the official SDK against a local fake of its API: Orders, the signed
checkout callback, webhooks, Route transfers held at funding and released on release,
refunds reversing the transfers."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx

from haat.core.db import Database
from haat.payments.providers import Providers
from tests.payments.conftest import (
    RAZORPAY_ACCOUNT,
    RAZORPAY_KEY_ID,
    RAZORPAY_KEY_SECRET,
    Shop,
    assert_balanced,
    balances,
    entry_count,
    move,
    order_of,
    pay,
    place_order,
    razorpay_webhook,
    use_provider,
)
from tests.payments.fakes.razorpay_api import FakeRazorpay


def checkout_result(
    order_id: str, payment_id: str, secret: str = RAZORPAY_KEY_SECRET
) -> dict[str, Any]:
    """What Razorpay Checkout hands the browser: HMAC-SHA256(key secret, order|payment)."""
    signature = hmac.new(secret.encode(), f"{order_id}|{payment_id}".encode(), hashlib.sha256)
    return {
        "razorpay_order_id": order_id,
        "razorpay_payment_id": payment_id,
        "razorpay_signature": signature.hexdigest(),
    }


async def callback(client: httpx.AsyncClient, caller: Any, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/payments/razorpay/callback", headers=caller.headers, json=body)


async def test_paid_through_checkout_held_then_released(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    razorpay_fake: FakeRazorpay,
) -> None:
    await use_provider(db, shop.business, "razorpay", RAZORPAY_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    oid, total = order["id"], order["total_minor"]
    r = await client.put(
        f"/api/orders/{oid}/milestones",
        headers=shop.editor.headers,
        json={
            "milestones": [
                {"title": "Advance", "percent_bp": 3000},
                {"title": "On delivery", "percent_bp": 7000},
            ]
        },
    )
    advance, rest = r.json()
    payment = (await pay(client, shop.buyer, oid, milestone_id=advance["id"])).json()
    rzp_order = razorpay_fake.orders[payment["provider_reference"]]
    assert (
        rzp_order["amount"] == advance["amount_minor"] == 53100 and rzp_order["currency"] == "INR"
    )
    assert payment["checkout"] == {
        "key": RAZORPAY_KEY_ID,
        "order_id": rzp_order["id"],
        "amount": 53100,
        "currency": "INR",
    }

    paid = razorpay_fake.pay(rzp_order["id"])
    forged = checkout_result(rzp_order["id"], paid["id"], secret="not-the-key-secret")
    assert (await callback(client, shop.buyer, forged)).status_code == 400
    good = checkout_result(rzp_order["id"], paid["id"])
    assert (await callback(client, shop.other_buyer, good)).status_code == 404
    assert await entry_count(db) == 0
    r = await callback(client, shop.buyer, good)
    assert r.status_code == 200 and r.json()["status"] == "succeeded"
    assert r.json()["provider_payment_id"] == paid["id"]
    held = razorpay_fake.transfers[r.json()["transfer_reference"]]
    fee = 2655
    assert held["on_hold"] is True and held["recipient"] == RAZORPAY_ACCOUNT
    assert held["amount"] == 53100 - fee
    # The webhook arrives after the callback: it changes nothing.
    hook = await razorpay_webhook(client, razorpay_fake.event("payment.captured", paid))
    assert hook.json()["outcome"] == "already_settled"
    assert (await order_of(client, shop.buyer, oid))["payment_status"] == "partial"
    assert await balances(db) == {"platform:cash": 53100, f"escrow:{oid}": -53100}

    r = await client.post(
        f"/api/orders/{oid}/milestones/{advance['id']}/release", headers=shop.buyer.headers, json={}
    )
    assert r.status_code == 200
    assert held["on_hold"] is False and len(razorpay_fake.transfers) >= 1
    assert await balances(db) == {"platform:cash": fee, "platform:fees": -fee}

    # The rest is paid through the webhook alone (the browser never came back).
    second = (await pay(client, shop.buyer, oid, milestone_id=rest["id"])).json()
    paid2 = razorpay_fake.pay(second["provider_reference"])
    event = razorpay_fake.event("payment.captured", paid2)
    assert (await razorpay_webhook(client, event, event_id="evt_rest_0001")).json()[
        "outcome"
    ] == "funded"
    assert (await razorpay_webhook(client, event, event_id="evt_rest_0001")).json()[
        "outcome"
    ] == "duplicate"
    assert (await order_of(client, shop.buyer, oid))["payment_status"] == "paid"

    r = await move(client, shop.owner, oid, "cancelled")
    assert r.status_code == 200, r.text
    refund = next(x for x in razorpay_fake.refunds.values() if x["payment_id"] == paid2["id"])
    assert refund["amount"] == total - 53100
    assert all(
        t["reversed"] for t in razorpay_fake.transfers.values() if t["source"] == paid2["id"]
    )
    assert await balances(db) == {"platform:cash": fee, "platform:fees": -fee}
    r = await move(client, shop.owner, oid, "refunded")
    assert r.status_code == 200 and r.json()["payment_status"] == "refunded"
    assert await balances(db) == {}
    await assert_balanced(db)


async def test_webhooks_verify_their_signature(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    razorpay_fake: FakeRazorpay,
) -> None:
    await use_provider(db, shop.business, "razorpay", RAZORPAY_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    paid = razorpay_fake.pay(payment["provider_reference"])
    event = razorpay_fake.event("payment.captured", paid)
    bad = await razorpay_webhook(client, event, secret="another-webhook-secret")
    assert bad.status_code == 400 and bad.json()["type"] == "bad_signature"
    unsigned = await client.post("/api/payments/webhooks/razorpay", json=event)
    assert unsigned.status_code == 400
    ignored = await razorpay_webhook(
        client, {"entity": "event", "event": "settlement.processed", "payload": {}}
    )
    assert ignored.status_code == 200 and ignored.json()["outcome"] == "ignored"
    failed = await razorpay_webhook(client, razorpay_fake.event("payment.failed", paid))
    assert failed.json()["outcome"] == "failed"
    assert (await razorpay_webhook(client, event)).json()["outcome"] == "funded"
    await assert_balanced(db)


async def test_an_authorized_payment_is_captured_and_a_refused_transfer_rolls_back(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    razorpay_fake: FakeRazorpay,
) -> None:
    await use_provider(db, shop.business, "razorpay", RAZORPAY_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    paid = razorpay_fake.pay(payment["provider_reference"], capture=False)
    razorpay_fake.fail["/v1/payments/" + paid["id"] + "/transfers"] = (
        400,
        "Linked account is not activated",
    )
    r = await callback(
        client, shop.buyer, checkout_result(payment["provider_reference"], paid["id"])
    )
    assert r.status_code == 502 and "not activated" in r.json()["detail"]
    assert await entry_count(db) == 0
    assert (await order_of(client, shop.buyer, order["id"]))["payment_status"] == "unpaid"
    r = await callback(
        client, shop.buyer, checkout_result(payment["provider_reference"], paid["id"])
    )
    assert r.status_code == 200 and r.json()["status"] == "succeeded"
    assert razorpay_fake.payments[paid["id"]]["status"] == "captured"
    assert await balances(db) == {
        "platform:cash": order["total_minor"],
        f"escrow:{order['id']}": -order["total_minor"],
    }
