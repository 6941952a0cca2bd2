"""Stripe through the official SDK against a local fake of its API: PaymentIntents, signed
webhooks (bad signatures, replays, unknown events), transfers on release, refunds; Checkout
Sessions (the storefront's hosted page) paid, failed, expired, cancelled and read back."""

from __future__ import annotations

import dataclasses
import time
import uuid

import httpx
import pytest

from haat.core.db import Database
from haat.payments import charges, funding
from haat.payments.models import Payment, PaymentProvider
from haat.payments.providers import BadSignature, NotPaid, ProviderError, Providers, ReturnUrls
from haat.payments.schemas import PaymentIn
from tests.conftest import Caller
from tests.payments.conftest import (
    STRIPE_ACCOUNT,
    Shop,
    assert_balanced,
    balances,
    entry_count,
    move,
    order_of,
    pay,
    place_order,
    stripe_webhook,
    use_provider,
    walk_to,
)
from tests.payments.fakes.stripe_api import FakeStripe


async def test_settings_need_an_account_and_a_configured_provider(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    path = f"/api/payments/settings/{shop.business.id}"
    r = await client.get(path, headers=shop.viewer.headers)
    assert r.json() == {
        "business_id": str(shop.business.id),
        "provider": "manual",
        "account_id": None,
    }
    # Without keys on the platform, Stripe cannot be chosen.
    r = await client.put(
        path, headers=shop.owner.headers, json={"provider": "stripe", "account_id": STRIPE_ACCOUNT}
    )
    assert r.status_code == 422 and "not configured" in r.json()["detail"]


async def test_settings_by_business_admins(
    client: httpx.AsyncClient, shop: Shop, providers: Providers
) -> None:
    path = f"/api/payments/settings/{shop.business.id}"
    body = {"provider": "stripe", "account_id": STRIPE_ACCOUNT}
    assert (await client.put(path, json=body)).status_code == 401
    assert (await client.put(path, headers=shop.editor.headers, json=body)).status_code == 403
    assert (await client.put(path, headers=shop.outsider.headers, json=body)).status_code == 404
    assert (await client.get(path, headers=shop.buyer.headers)).status_code == 404
    for bad in ({"provider": "stripe"}, {"provider": "stripe", "account_id": "acc_wrongPrefix1"}):
        assert (await client.put(path, headers=shop.owner.headers, json=bad)).status_code == 422
    r = await client.put(path, headers=shop.owner.headers, json=body)
    assert r.status_code == 200 and r.json()["account_id"] == STRIPE_ACCOUNT
    r = await client.put(
        path, headers=shop.admin.headers, json={"provider": "manual", "account_id": "x"}
    )
    assert r.json() == {
        "business_id": str(shop.business.id),
        "provider": "manual",
        "account_id": None,
    }


async def test_unconfigured_provider_is_a_clear_503(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    r = await pay(client, shop.buyer, order["id"])
    assert r.status_code == 503 and r.json()["type"] == "payment_provider_not_configured"
    r = await client.post("/api/payments/webhooks/stripe", content=b"{}")
    assert r.status_code == 503


async def test_paid_by_webhook_released_with_a_transfer(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    oid, total = order["id"], order["total_minor"]
    r = await pay(client, shop.buyer, oid, key="stripe-pay-000001")
    assert r.status_code == 201, r.text
    payment = r.json()
    intent = stripe_fake.intents[payment["provider_reference"]]
    assert payment["client_secret"] == intent["client_secret"]
    assert intent["amount"] == total and intent["currency"] == "inr"
    assert intent["metadata"]["haat_payment_id"] == payment["id"]
    assert stripe_fake.requests[-1][3] == f"haat-open-{payment['id']}"
    staff_view = await client.get(f"/api/payments/{payment['id']}", headers=shop.owner.headers)
    assert staff_view.json()["client_secret"] is None  # only the payer's browser gets it
    replay = await pay(client, shop.buyer, oid, key="stripe-pay-000001")
    assert replay.status_code == 200 and replay.json()["provider_reference"] == intent["id"]
    mine = [
        i for i in stripe_fake.intents.values() if i["metadata"]["haat_payment_id"] == payment["id"]
    ]
    assert len(mine) == 1  # the replay did not create another PaymentIntent
    assert (await order_of(client, shop.buyer, oid))["payment_status"] == "unpaid"

    event = stripe_fake.pay(intent["id"])
    bad = await stripe_webhook(client, event, secret="whsec_someone_else_0000000000")
    assert bad.status_code == 400 and bad.json()["type"] == "bad_signature"
    stale = await stripe_webhook(client, event, timestamp=int(time.time()) - 3600)
    assert stale.status_code == 400
    assert await entry_count(db) == 0
    r = await stripe_webhook(client, event)
    assert r.status_code == 200 and r.json() == {"event_id": event["id"], "outcome": "funded"}
    assert (await stripe_webhook(client, event)).json()["outcome"] == "duplicate"
    again = dict(event, id="evt_redelivered_under_new_id")
    assert (await stripe_webhook(client, again)).json()["outcome"] == "already_settled"
    assert await balances(db) == {"platform:cash": total, f"escrow:{oid}": -total}
    assert (await order_of(client, shop.buyer, oid))["payment_status"] == "paid"
    ignored = stripe_fake.event("customer.created", {"id": "cus_123"})
    assert (await stripe_webhook(client, ignored)).json()["outcome"] == "ignored"

    await walk_to(client, shop.editor, oid, "delivered")
    fee = 8850
    transfer = next(
        t
        for t in stripe_fake.transfers.values()
        if t["metadata"]["haat_payment_id"] == payment["id"]
    )
    assert transfer["destination"] == STRIPE_ACCOUNT and transfer["amount"] == total - fee
    assert transfer["source_transaction"] == intent["latest_charge"]
    assert transfer["transfer_group"] == f"order-{oid}"
    assert await balances(db) == {"platform:cash": fee, "platform:fees": -fee}

    r = await move(client, shop.owner, oid, "refunded")
    assert r.status_code == 200 and r.json()["payment_status"] == "refunded"
    assert transfer["reversed"] is True
    refund = next(x for x in stripe_fake.refunds.values() if x["payment_intent"] == intent["id"])
    assert refund["amount"] == total
    assert await balances(db) == {}
    await assert_balanced(db)


async def test_cancel_refunds_and_cancels_through_stripe(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    paid = await place_order(client, shop.buyer, shop.vase)
    intent = (await pay(client, shop.buyer, paid["id"])).json()["provider_reference"]
    await stripe_webhook(client, stripe_fake.pay(intent))
    stripe_fake.fail["/v1/refunds"] = (400, "Refunds are paused on this account")
    r = await move(client, shop.buyer, paid["id"], "cancelled")
    assert r.status_code == 502 and r.json()["type"] == "payment_provider_error"
    after = await order_of(client, shop.buyer, paid["id"])
    assert after["status"] == "pending" and after["payment_status"] == "paid"  # rolled back
    r = await move(client, shop.buyer, paid["id"], "cancelled")
    assert r.status_code == 200 and r.json()["payment_status"] == "refunded"

    unpaid = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, unpaid["id"])).json()
    assert (await move(client, shop.buyer, unpaid["id"], "cancelled")).status_code == 200
    assert stripe_fake.intents[payment["provider_reference"]]["status"] == "canceled"
    # The buyer's bank settles anyway: the money is taken in and refunded at once.
    late = await stripe_webhook(client, stripe_fake.pay(payment["provider_reference"]))
    assert late.json()["outcome"] == "late_refunded"
    assert await balances(db) == {}
    await assert_balanced(db)


async def test_failed_then_paid_with_another_card(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    r = await stripe_webhook(client, stripe_fake.decline(payment["provider_reference"]))
    assert r.json()["outcome"] == "failed"
    assert (await client.get(f"/api/payments/{payment['id']}", headers=shop.buyer.headers)).json()[
        "status"
    ] == "failed"
    r = await stripe_webhook(client, stripe_fake.pay(payment["provider_reference"]))
    assert r.json()["outcome"] == "funded"
    wrong = stripe_fake.event(
        "payment_intent.succeeded",
        {**stripe_fake.intents[payment["provider_reference"]], "id": "pi_unknown"},
    )
    assert (await stripe_webhook(client, wrong)).json()["outcome"] == "unknown_payment"
    await assert_balanced(db)


async def test_an_amount_that_does_not_match_is_not_counted(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    payment = (await pay(client, shop.buyer, order["id"])).json()
    event = stripe_fake.pay(payment["provider_reference"])
    event["data"]["object"]["amount_received"] = 100
    assert (await stripe_webhook(client, event)).json()["outcome"] == "amount_mismatch"
    assert await entry_count(db) == 0


async def test_milestones_paid_through_stripe(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    oid = order["id"]
    r = await client.put(
        f"/api/orders/{oid}/milestones",
        headers=shop.editor.headers,
        json={
            "milestones": [
                {"title": "Advance", "percent_bp": 5000},
                {"title": "Balance", "percent_bp": 5000},
            ]
        },
    )
    first, second = r.json()
    payment = (await pay(client, shop.buyer, oid, milestone_id=first["id"])).json()
    assert payment["amount_minor"] == 88500
    await stripe_webhook(client, stripe_fake.pay(payment["provider_reference"]))
    r = await client.post(
        f"/api/orders/{oid}/milestones/{first['id']}/release", headers=shop.buyer.headers, json={}
    )
    assert r.status_code == 200 and r.json()["status"] == "released"
    transfers = [
        t
        for t in stripe_fake.transfers.values()
        if t["metadata"]["haat_payment_id"] == payment["id"]
    ]
    assert [t["amount"] for t in transfers] == [88500 - 4425]
    # The second milestone was never paid; the first stays with the seller on cancel.
    assert (await move(client, shop.buyer, oid, "cancelled")).status_code == 200
    assert await balances(db) == {"platform:cash": 4425, "platform:fees": -4425}
    await assert_balanced(db)


# --- Stripe Checkout (the storefront's hosted page) -----------------------------------------

BACK = ReturnUrls(
    success="https://haat.example/payments/stripe/return/token",
    cancel="https://haat.example/orders/back",
)


async def open_checkout(
    db: Database, providers: Providers, buyer: Caller, order_id: str
) -> tuple[Payment, str | None]:
    """The buyer opens a payment of the order for their browser (as the pay button does)."""
    async with db.session() as s:
        opened = await charges.open_checkout(
            s, buyer.actor, providers, uuid.UUID(order_id), PaymentIn(), uuid.uuid4().hex, BACK
        )
        await s.commit()
    return opened


async def payment_row(db: Database, payment_id: uuid.UUID) -> Payment:
    async with db.session(write=False) as s:
        payment = await s.get(Payment, payment_id)
        assert payment is not None
        return payment


async def test_checkout_session_paid_by_webhook_released_and_refunded(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    oid, total = order["id"], order["total_minor"]
    payment, url = await open_checkout(db, providers, shop.buyer, oid)
    session_id = payment.provider_reference or ""
    assert session_id.startswith("cs_") and payment.client_secret is None
    session = stripe_fake.sessions[session_id]
    assert url == session["url"]
    method, path, form, key = stripe_fake.requests[-1]
    assert (method, path, key) == ("POST", "/v1/checkout/sessions", f"haat-checkout-{payment.id}")
    assert form["mode"] == "payment" and form["client_reference_id"] == str(payment.id)
    (line,) = form["line_items"]
    assert line["quantity"] == "1" and line["price_data"]["unit_amount"] == str(total)
    assert line["price_data"]["currency"] == "inr"
    assert order["number"] in line["price_data"]["product_data"]["name"]
    assert form["payment_intent_data"]["transfer_group"] == f"order-{oid}"
    assert form["payment_intent_data"]["metadata"] == {
        "haat_payment_id": str(payment.id),
        "haat_order_number": order["number"],
    }
    assert form["success_url"] == BACK.success + "?session_id={CHECKOUT_SESSION_ID}"
    assert form["cancel_url"] == BACK.cancel
    # The API path still opens PaymentIntents with a client secret for Stripe.js.
    api_order = await place_order(client, shop.buyer, shop.bowl)
    api_payment = (await pay(client, shop.buyer, api_order["id"])).json()
    assert api_payment["provider_reference"].startswith("pi_") and api_payment["client_secret"]

    # A signed event is still read back from Stripe: it says unpaid, so nothing counts.
    claimed = stripe_fake.event("checkout.session.completed", {**session, "payment_status": "paid"})
    assert (await stripe_webhook(client, claimed)).json()["outcome"] == "not_paid"
    delayed = stripe_fake.event("checkout.session.completed", session)  # a delayed method
    assert (await stripe_webhook(client, delayed)).json()["outcome"] == "ignored"
    assert await entry_count(db) == 0

    event = stripe_fake.pay_session(session_id)
    assert (await stripe_webhook(client, event)).json()["outcome"] == "funded"
    paid = await payment_row(db, payment.id)
    intent = stripe_fake.intents[session["payment_intent"]]
    assert (paid.status, paid.provider_reference) == ("succeeded", intent["id"])
    assert paid.provider_payment_id == intent["latest_charge"]
    assert intent["transfer_group"] == f"order-{oid}"
    later = stripe_fake.event("checkout.session.async_payment_succeeded", session)
    assert (await stripe_webhook(client, later)).json()["outcome"] == "already_settled"
    assert await balances(db) == {"platform:cash": total, f"escrow:{oid}": -total}

    await walk_to(client, shop.editor, oid, "delivered")
    (transfer,) = (
        t
        for t in stripe_fake.transfers.values()
        if t["metadata"]["haat_payment_id"] == str(payment.id)
    )
    assert transfer["source_transaction"] == intent["latest_charge"]
    r = await move(client, shop.owner, oid, "refunded")
    assert r.status_code == 200 and r.json()["payment_status"] == "refunded"
    assert transfer["reversed"] is True
    (refund,) = (x for x in stripe_fake.refunds.values() if x["payment_intent"] == intent["id"])
    assert refund["amount"] == total
    await assert_balanced(db)


async def test_checkout_sessions_that_fail_expire_or_are_cancelled(
    client: httpx.AsyncClient,
    shop: Shop,
    db: Database,
    providers: Providers,
    stripe_fake: FakeStripe,
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    first, _ = await open_checkout(db, providers, shop.buyer, order["id"])
    session = stripe_fake.sessions[first.provider_reference or ""]
    failed = stripe_fake.event("checkout.session.async_payment_failed", session)
    assert (await stripe_webhook(client, failed)).json()["outcome"] == "failed"
    assert (await payment_row(db, first.id)).status == "failed"

    second, _ = await open_checkout(db, providers, shop.buyer, order["id"])  # pay anew
    expired = stripe_fake.expire_session(second.provider_reference or "")
    assert (await stripe_webhook(client, expired)).json()["outcome"] == "failed"
    assert (await stripe_webhook(client, expired)).json()["outcome"] == "duplicate"

    # Cancelling the order expires its open session at Stripe...
    third, _ = await open_checkout(db, providers, shop.buyer, order["id"])
    assert (await move(client, shop.buyer, order["id"], "cancelled")).status_code == 200
    assert stripe_fake.sessions[third.provider_reference or ""]["status"] == "expired"
    assert (await payment_row(db, third.id)).status == "cancelled"
    # ...and one that expired unseen (no webhook) is left alone, without an error.
    other = await place_order(client, shop.buyer, shop.vase)
    unseen, _ = await open_checkout(db, providers, shop.buyer, other["id"])
    stripe_fake.expire_session(unseen.provider_reference or "")
    stripe_fake.requests.clear()
    assert (await move(client, shop.buyer, other["id"], "cancelled")).status_code == 200
    assert [p for _, p, _, _ in stripe_fake.requests if p.endswith("/expire")] == []
    assert await entry_count(db) == 0


async def test_a_session_of_another_payment_is_refused(
    shop: Shop, client: httpx.AsyncClient, db: Database, providers: Providers
) -> None:
    await use_provider(db, shop.business, "stripe", STRIPE_ACCOUNT)
    order = await place_order(client, shop.buyer, shop.vase)
    mine, mine_url = await open_checkout(db, providers, shop.buyer, order["id"])
    other = await place_order(client, shop.other_buyer, shop.bowl)
    theirs, _ = await open_checkout(db, providers, shop.other_buyer, other["id"])
    stripe = providers.get(PaymentProvider.STRIPE)
    async with db.session(write=False) as s:
        snapshot = await funding.snapshot(s, mine)
    swapped = dataclasses.replace(snapshot, reference=theirs.provider_reference)
    with pytest.raises(ProviderError, match="another payment"):
        await stripe.verify_checkout(swapped, {})
    with pytest.raises(BadSignature):
        await stripe.verify_checkout(snapshot, {"session_id": theirs.provider_reference or ""})
    with pytest.raises(NotPaid) as unpaid:
        await stripe.verify_checkout(snapshot, {"session_id": mine.provider_reference or ""})
    assert unpaid.value.expired is False
    assert await stripe.checkout_url(snapshot) == mine_url
