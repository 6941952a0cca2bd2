"""Escrow milestones: setting them, funding, releasing (once, under concurrency), refunds on
cancellation and disputes, and who may do what."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from haat.core.db import Database
from tests.payments.conftest import (
    Shop,
    assert_balanced,
    balances,
    move,
    pay,
    place_order,
)

SPLIT = [
    {"title": "Advance at production start", "percent_bp": 3000},
    {"title": "Quality check", "percent_bp": 4000},
    {"title": "On delivery", "percent_bp": 3000},
]


async def plan(
    client: httpx.AsyncClient, shop: Shop, order_id: str, milestones: list[Any]
) -> httpx.Response:
    return await client.put(
        f"/api/orders/{order_id}/milestones",
        headers=shop.editor.headers,
        json={"milestones": milestones},
    )


async def fund(
    client: httpx.AsyncClient, shop: Shop, order_id: str, milestone: dict[str, Any]
) -> dict[str, Any]:
    r = await pay(
        client, shop.buyer, order_id, milestone_id=milestone["id"], method="bank_transfer"
    )
    assert r.status_code == 201, r.text
    r = await client.post(f"/api/payments/{r.json()['id']}/confirm", headers=shop.editor.headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def release_path(order_id: str, milestone: dict[str, Any], action: str = "release") -> str:
    return f"/api/orders/{order_id}/milestones/{milestone['id']}/{action}"


async def test_percentages_split_the_total_exactly(client: httpx.AsyncClient, shop: Shop) -> None:
    order = await place_order(client, shop.buyer, shop.bowl)  # 450.00 + 18 % = 531.00
    r = await plan(
        client,
        shop,
        order["id"],
        [{"title": f"part {i}", "percent_bp": 3333 + (i == 0)} for i in range(3)],
    )
    assert r.status_code == 200, r.text
    amounts = [m["amount_minor"] for m in r.json()]
    assert sum(amounts) == order["total_minor"] == 53100 and amounts == [17704, 17698, 17698]
    assert [m["status"] for m in r.json()] == ["pending"] * 3
    assert r.json()[0]["history"][0]["to_status"] == "pending"
    r = await plan(
        client,
        shop,
        order["id"],
        [{"title": "a", "amount_minor": 50000}, {"title": "b", "amount_minor": 3100}],
    )
    assert r.status_code == 200 and [m["percent_bp"] for m in r.json()] == [None, None]
    listed = await client.get(f"/api/orders/{order['id']}/milestones", headers=shop.buyer.headers)
    assert [m["amount_minor"] for m in listed.json()] == [50000, 3100]


async def test_bad_splits_are_422(client: httpx.AsyncClient, shop: Shop) -> None:
    order = await place_order(client, shop.buyer, shop.bowl)
    bad = [
        [{"title": "a", "amount_minor": 100}],  # does not reach the total
        [{"title": "a", "percent_bp": 5000}, {"title": "b", "percent_bp": 4000}],
        [{"title": "a", "percent_bp": 5000}, {"title": "b", "amount_minor": 26550}],
        [{"title": "a", "percent_bp": 5000, "amount_minor": 26550}],
        [{"title": "a"}],
    ]
    for milestones in bad:
        r = await plan(client, shop, order["id"], milestones)
        assert r.status_code == 422, (milestones, r.text)


async def test_fund_release_and_refund_on_cancel(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase, quantity=2)  # 3,540.00
    oid, bid, total = order["id"], shop.business.id, order["total_minor"]
    advance, check, last = (await plan(client, shop, oid, SPLIT)).json()
    whole = await pay(client, shop.buyer, oid)
    assert whole.status_code == 422  # an order in milestones is paid milestone by milestone
    await fund(client, shop, oid, advance)
    status = (await client.get(f"/api/orders/{oid}", headers=shop.buyer.headers)).json()
    assert status["payment_status"] == "partial"
    assert (await plan(client, shop, oid, SPLIT)).status_code == 409  # no longer unpaid

    r = await client.post(
        release_path(oid, advance), headers=shop.buyer.headers, json={"note": "production started"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "released"
    assert [h["to_status"] for h in r.json()["history"]] == ["pending", "funded", "released"]
    assert r.json()["history"][-1]["actor_id"] == str(shop.buyer.id)
    again = await client.post(release_path(oid, advance), headers=shop.admin.headers, json={})
    assert again.status_code == 409 and again.json()["current_status"] == "released"
    assert (
        await client.post(release_path(oid, check), headers=shop.buyer.headers, json={})
    ).status_code == 409

    await fund(client, shop, oid, check)
    r = await move(client, shop.owner, oid, "cancelled")
    assert r.status_code == 200, r.text
    assert r.json()["payment_status"] == "partial"  # the released advance stays with the seller
    states = [
        m["status"]
        for m in (
            await client.get(f"/api/orders/{oid}/milestones", headers=shop.buyer.headers)
        ).json()
    ]
    assert states == ["released", "refunded", "cancelled"]
    fee = 5310  # 5 % of the 30 % advance, 1,062.00
    assert advance["amount_minor"] == 106200 and total == 354000
    assert await balances(db) == {f"seller:{bid}:payable": fee, "platform:fees": -fee}
    await assert_balanced(db)

    r = await move(client, shop.owner, oid, "refunded")  # now the advance goes back too
    assert r.status_code == 200 and r.json()["payment_status"] == "refunded"
    assert await balances(db) == {}
    await assert_balanced(db)


async def test_concurrent_releases_one_wins(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    oid = order["id"]
    advance = (await plan(client, shop, oid, SPLIT)).json()[0]
    await fund(client, shop, oid, advance)
    results = await asyncio.gather(
        *(
            client.post(release_path(oid, advance), headers=caller.headers, json={})
            for caller in (shop.buyer, shop.admin, shop.buyer, shop.admin)
        )
    )
    assert sorted(r.status_code for r in results) == [200, 409, 409, 409]
    history = (
        await client.get(f"/api/orders/{oid}/milestones", headers=shop.buyer.headers)
    ).json()[0]["history"]
    assert [h["to_status"] for h in history].count("released") == 1
    fee = 2655  # 5 % of 531.00
    assert (await balances(db))["platform:fees"] == -fee
    await assert_balanced(db)


async def test_dispute_refund_by_platform_admin(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    oid = order["id"]
    advance = (await plan(client, shop, oid, SPLIT)).json()[0]
    await fund(client, shop, oid, advance)
    for caller in (shop.buyer, shop.owner):
        r = await client.post(release_path(oid, advance, "refund"), headers=caller.headers, json={})
        assert r.status_code == 403
    r = await client.post(
        release_path(oid, advance, "refund"),
        headers=shop.admin.headers,
        json={"note": "goods not made"},
    )
    assert r.status_code == 200 and r.json()["status"] == "refunded"
    assert r.json()["history"][-1]["note"] == "goods not made"
    again = await client.post(
        release_path(oid, advance, "refund"), headers=shop.admin.headers, json={}
    )
    assert again.status_code == 409
    # A refunded milestone is not payable again.
    assert (await pay(client, shop.buyer, oid, milestone_id=advance["id"])).status_code == 409
    assert await balances(db) == {}
    await assert_balanced(db)


async def test_who_may_plan_and_release(client: httpx.AsyncClient, shop: Shop) -> None:
    order = await place_order(client, shop.buyer, shop.vase)
    oid = order["id"]
    path = f"/api/orders/{oid}/milestones"
    body = {"milestones": SPLIT}
    assert (await client.put(path, json=body)).status_code == 401
    for caller, status in [
        (shop.buyer, 403),
        (shop.viewer, 403),
        (shop.outsider, 404),
        (shop.other_buyer, 404),
    ]:
        assert (await client.put(path, headers=caller.headers, json=body)).status_code == status
    for caller in (shop.owner, shop.admin):
        assert (await client.put(path, headers=caller.headers, json=body)).status_code == 200
    advance = (await client.get(path, headers=shop.viewer.headers)).json()[0]
    assert (await client.get(path, headers=shop.outsider.headers)).status_code == 404
    await fund(client, shop, oid, advance)
    release = release_path(oid, advance)
    for caller, status in [
        (shop.owner, 403),
        (shop.editor, 403),
        (shop.outsider, 404),
        (shop.other_buyer, 404),
    ]:
        assert (await client.post(release, headers=caller.headers, json={})).status_code == status
    assert (await client.post(release, json={})).status_code == 401
    assert (await client.post(release, headers=shop.buyer.headers, json={})).status_code == 200
