"""Manual payments (cash on delivery, UPI, bank transfer) confirmed by the seller's staff:
the whole-order flow, idempotent opening, refused transitions, and who may do what."""

from __future__ import annotations

import httpx

from haat.core.db import Database
from tests.payments.conftest import (
    Shop,
    assert_balanced,
    balances,
    entry_count,
    move,
    order_of,
    pay,
    place_order,
    walk_to,
)


async def test_cash_on_delivery_is_escrowed_then_credited_on_delivery(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    total, oid, bid = order["total_minor"], order["id"], shop.business.id
    r = await pay(client, shop.buyer, oid, method="cash")
    assert r.status_code == 201, r.text
    payment = r.json()
    assert payment["provider"] == "manual" and payment["method"] == "cash"
    assert payment["status"] == "pending" and payment["amount_minor"] == total
    assert (await order_of(client, shop.buyer, oid))["payment_status"] == "unpaid"
    assert await entry_count(db) == 0  # nothing moves until the staff confirm

    r = await client.post(f"/api/payments/{payment['id']}/confirm", headers=shop.editor.headers)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "succeeded"
    assert (await order_of(client, shop.buyer, oid))["payment_status"] == "paid"
    # The seller's staff hold the cash for the platform; the buyer's money is in escrow.
    assert await balances(db) == {f"seller:{bid}:payable": total, f"escrow:{oid}": -total}

    await walk_to(client, shop.editor, oid, "delivered")
    fee = 8850  # 5 % of 1,770.00
    assert await balances(db) == {f"seller:{bid}:payable": fee, "platform:fees": -fee}
    await assert_balanced(db)
    paid = (await client.get(f"/api/orders/{oid}/payments", headers=shop.buyer.headers)).json()
    assert paid[0]["released_at"] is not None

    ledger = await client.get(f"/api/orders/{oid}/ledger", headers=shop.viewer.headers)
    assert ledger.status_code == 200
    assert [e["idempotency_key"] for e in ledger.json()] == [
        f"payment:{payment['id']}:fund",
        f"payment:{payment['id']}:release",
    ]
    trial = await client.get("/api/payments/ledger/trial-balance", headers=shop.admin.headers)
    assert trial.json() == {"totals": {"INR": 0}}


async def test_same_key_same_payment_other_body_422(client: httpx.AsyncClient, shop: Shop) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    first = await pay(client, shop.buyer, order["id"], key="pay-key-00000001", method="upi")
    again = await pay(client, shop.buyer, order["id"], key="pay-key-00000001", method="upi")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    other = await pay(client, shop.buyer, order["id"], key="pay-key-00000001", method="cash")
    assert other.status_code == 422 and other.json()["type"] == "idempotency_key_reused"
    # Another key while this one is pending is refused, naming the pending payment.
    second = await pay(client, shop.buyer, order["id"], method="cash")
    assert second.status_code == 409 and second.json()["payment_id"] == first.json()["id"]
    listed = await client.get(f"/api/orders/{order['id']}/payments", headers=shop.buyer.headers)
    assert len(listed.json()) == 1


async def test_refused_transitions_are_409(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    confirm = f"/api/payments/{payment['id']}/confirm"
    assert (await client.post(confirm, headers=shop.owner.headers)).status_code == 200
    again = await client.post(confirm, headers=shop.owner.headers)
    assert again.status_code == 409 and again.json()["current_status"] == "succeeded"
    reject = await client.post(f"/api/payments/{payment['id']}/reject", headers=shop.owner.headers)
    assert reject.status_code == 409
    assert (await pay(client, shop.buyer, order["id"])).status_code == 409  # already paid
    await walk_to(client, shop.owner, order["id"], "shipped")
    assert (await move(client, shop.owner, order["id"], "cancelled")).status_code == 409
    await assert_balanced(db)


async def test_rejected_payment_posts_nothing_and_can_be_retried(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    first = (await pay(client, shop.buyer, order["id"], method="bank_transfer")).json()
    r = await client.post(f"/api/payments/{first['id']}/reject", headers=shop.editor.headers)
    assert r.status_code == 200 and r.json()["status"] == "failed"
    assert await entry_count(db) == 0
    second = await pay(client, shop.buyer, order["id"], method="upi")
    assert second.status_code == 201 and second.json()["id"] != first["id"]


async def test_cancelling_refunds_the_escrow(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    await client.post(f"/api/payments/{payment['id']}/confirm", headers=shop.editor.headers)
    r = await move(client, shop.buyer, order["id"], "cancelled")
    assert r.status_code == 200, r.text
    assert r.json()["payment_status"] == "refunded"
    assert await balances(db) == {}  # the seller handed the cash back: every account is 0
    await assert_balanced(db)
    paid = (await client.get(f"/api/payments/{payment['id']}", headers=shop.buyer.headers)).json()
    assert paid["status"] == "refunded" and paid["refunded_at"]


async def test_refunding_a_delivered_order_takes_back_the_release(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    await client.post(f"/api/payments/{payment['id']}/confirm", headers=shop.editor.headers)
    await walk_to(client, shop.editor, order["id"], "delivered")
    r = await move(client, shop.owner, order["id"], "refunded")
    assert r.status_code == 200 and r.json()["payment_status"] == "refunded"
    assert await balances(db) == {}
    await assert_balanced(db)


async def test_cash_confirmed_after_delivery_is_released_at_once(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"], method="cash")).json()
    await walk_to(client, shop.editor, order["id"], "delivered")
    await client.post(f"/api/payments/{payment['id']}/confirm", headers=shop.editor.headers)
    assert await balances(db) == {
        f"seller:{shop.business.id}:payable": 8850,
        "platform:fees": -8850,
    }


async def test_who_may_pay_and_confirm(client: httpx.AsyncClient, shop: Shop) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    oid = order["id"]
    anonymous = await client.post(
        f"/api/orders/{oid}/payments", headers={"Idempotency-Key": "anon-key-0001"}, json={}
    )
    assert anonymous.status_code == 401
    assert (await pay(client, shop.other_buyer, oid)).status_code == 404
    assert (await pay(client, shop.outsider, oid)).status_code == 404
    assert (await pay(client, shop.editor, oid)).status_code == 403  # staff do not pay for buyers
    payment = (await pay(client, shop.buyer, oid)).json()
    confirm = f"/api/payments/{payment['id']}/confirm"
    assert (await client.post(confirm)).status_code == 401
    assert (await client.post(confirm, headers=shop.other_buyer.headers)).status_code == 404
    assert (await client.post(confirm, headers=shop.outsider.headers)).status_code == 404
    assert (await client.post(confirm, headers=shop.buyer.headers)).status_code == 403
    assert (await client.post(confirm, headers=shop.viewer.headers)).status_code == 403
    reads = [
        (shop.buyer, 200),
        (shop.viewer, 200),
        (shop.admin, 200),
        (shop.other_buyer, 404),
        (shop.outsider, 404),
    ]
    for caller, status in reads:
        r = await client.get(f"/api/payments/{payment['id']}", headers=caller.headers)
        assert r.status_code == status, caller.user.email
    ledger = f"/api/orders/{oid}/ledger"
    assert (await client.get(ledger, headers=shop.buyer.headers)).status_code == 403
    assert (await client.get(ledger, headers=shop.outsider.headers)).status_code == 404
    trial = "/api/payments/ledger/trial-balance"
    assert (await client.get(trial, headers=shop.owner.headers)).status_code == 403
    assert (await client.get(trial)).status_code == 401
    assert (await client.post(confirm, headers=shop.owner.headers)).status_code == 200
