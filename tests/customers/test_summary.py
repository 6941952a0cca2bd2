"""`/api/khata/summary`: receivables, dues, FIFO ageing and collections of one business."""

from __future__ import annotations

import httpx
import pytest

from tests.customers.conftest import days_ago, entry, new_customer


async def _summary(client: httpx.AsyncClient, caller: object, business: object) -> httpx.Response:
    return await client.get(
        "/api/khata/summary",
        params={"business": str(business)},
        headers=caller.headers,  # type: ignore[attr-defined]
    )


async def test_fifo_ageing_on_a_constructed_khata(client: httpx.AsyncClient, shop: dict) -> None:
    ed, business = shop["editor"], shop["business"].id

    async def customer(phone: str) -> str:
        return (await new_customer(client, shop["admin"], business, phone=phone))["id"]

    # Customer 1: payments settle the oldest credits first.
    c1 = await customer("+919800000001")
    await entry(client, ed, c1, "credit", 1000, occurred_on=days_ago(100))
    await entry(client, ed, c1, "credit", 500, occurred_on=days_ago(70))
    await entry(client, ed, c1, "credit", 300, occurred_on=days_ago(45))
    await entry(client, ed, c1, "credit", 200, occurred_on=days_ago(10))
    await entry(client, ed, c1, "payment", 1200)  # pays the 1000 and 200 of the 500
    await entry(client, ed, c1, "adjustment", -30, occurred_on=days_ago(2))  # 30 more of it
    mistake = await entry(client, ed, c1, "credit", 5000, occurred_on=days_ago(3))
    r = await client.post(
        f"/api/khata/entries/{mistake['id']}/reverse", json={"reason": "typo"}, headers=ed.headers
    )
    assert r.status_code == 201
    # c1 owes 770: 270 aged 70 days, 300 aged 45, 200 aged 10.

    # Customer 2 paid in advance: owes nothing, the business holds 200.
    c2 = await customer("+919800000002")
    await entry(client, ed, c2, "credit", 100, occurred_on=days_ago(20))
    await entry(client, ed, c2, "payment", 300, method="upi")
    bounced = await entry(client, ed, c2, "payment", 999, method="card")
    await client.post(
        f"/api/khata/entries/{bounced['id']}/reverse",
        json={"reason": "bounced"},
        headers=ed.headers,
    )

    # Customer 3: an old credit and a positive adjustment (both increase what is owed).
    c3 = await customer("+919800000003")
    await entry(client, ed, c3, "credit", 400, occurred_on=days_ago(120))
    await entry(client, ed, c3, "adjustment", 50, occurred_on=days_ago(40))

    # Customer 4 settled last month: no dues, and last month's payment is no collection now.
    c4 = await customer("+919800000004")
    await entry(client, ed, c4, "credit", 100, occurred_on=days_ago(50))
    await entry(client, ed, c4, "payment", 100, occurred_on=days_ago(40))

    # Another business's khata is not counted.
    other = await new_customer(client, shop["outsider"], shop["other_business"].id)
    await entry(client, shop["outsider"], other["id"], "credit", 77777, occurred_on=days_ago(5))
    await entry(client, shop["outsider"], other["id"], "payment", 11111)

    r = await _summary(client, shop["viewer"], business)
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["currency"] == "INR"
    assert s["total_receivable_minor"] == 770 + 450
    assert s["customers_with_dues"] == 2
    assert s["advances_minor"] == 200
    assert s["ageing"] == {
        "days_0_30": 200,
        "days_31_60": 300 + 50,
        "days_61_90": 270,
        "days_over_90": 400,
    }
    assert sum(s["ageing"].values()) == s["total_receivable_minor"]
    assert s["collections_this_month_minor"] == 1200 + 300  # the bounced 999 nets out

    o = (await _summary(client, shop["outsider"], shop["other_business"].id)).json()
    assert o["total_receivable_minor"] == 77777 - 11111
    assert o["ageing"]["days_0_30"] == 77777 - 11111
    assert o["collections_this_month_minor"] == 11111


async def test_bucket_edges(client: httpx.AsyncClient, shop: dict) -> None:
    c = (await new_customer(client, shop["admin"], shop["business"].id))["id"]
    for days, amount in [(30, 1), (31, 10), (60, 100), (61, 1000), (90, 10000), (91, 100000)]:
        await entry(client, shop["editor"], c, "credit", amount, occurred_on=days_ago(days))
    s = (await _summary(client, shop["admin"], shop["business"].id)).json()
    assert s["ageing"] == {
        "days_0_30": 1,
        "days_31_60": 110,
        "days_61_90": 11000,
        "days_over_90": 100000,
    }


async def test_empty_business(client: httpx.AsyncClient, shop: dict) -> None:
    s = (await _summary(client, shop["admin"], shop["business"].id)).json()
    assert s["total_receivable_minor"] == 0 and s["customers_with_dues"] == 0
    assert s["currency"] is None and set(s["ageing"].values()) == {0}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("editor", 200),
        ("approver", 200),
        ("viewer", 200),
        ("outsider", 403),
        ("buyer", 403),
        ("platform", 200),
    ],
)
async def test_summary_authorization(
    client: httpx.AsyncClient, shop: dict, who: str, status: int
) -> None:
    assert (await _summary(client, shop[who], shop["business"].id)).status_code == status


async def test_summary_unknown_business(client: httpx.AsyncClient, shop: dict) -> None:
    r = await _summary(client, shop["platform"], "00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404
    r = await client.get("/api/khata/summary", headers=shop["admin"].headers)
    assert r.status_code == 422
