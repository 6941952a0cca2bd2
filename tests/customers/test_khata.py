"""`/api/khata/entries`: recording, validation, immutability, reversal, balances, statements."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import httpx
import pytest

from tests.customers.conftest import (
    PROBLEM,
    days_ago,
    entry,
    error_fields,
    new_customer,
    post_entry,
    today,
)


@pytest.fixture
async def customer(client: httpx.AsyncClient, shop: dict) -> dict:
    return await new_customer(client, shop["admin"], shop["business"].id)


async def balance(client: httpx.AsyncClient, caller: object, customer_id: str) -> dict:
    r = await client.get(f"/api/customers/{customer_id}/khata", headers=caller.headers)  # type: ignore[attr-defined]
    assert r.status_code == 200, r.text
    return r.json()


async def test_entries_and_balance(client: httpx.AsyncClient, shop: dict, customer: dict) -> None:
    cid, editor = customer["id"], shop["editor"]
    order = str(uuid.uuid4())
    credit = await entry(
        client,
        editor,
        cid,
        "credit",
        250000,
        order_id=order,
        reference="INV-7",
        occurred_on=days_ago(3),
    )
    assert credit["order_id"] == order and credit["currency"] == "INR"
    assert credit["created_by_id"] == str(editor.id) and credit["effect_minor"] == 250000
    assert credit["occurred_on"] == days_ago(3)
    pay = await entry(client, editor, cid, "payment", 100000, method="upi")
    assert pay["effect_minor"] == -100000 and pay["occurred_on"] == today().isoformat()
    await entry(client, editor, cid, "adjustment", -5000, description="festival discount")
    await entry(client, editor, cid, "adjustment", 200)
    b = await balance(client, shop["viewer"], cid)
    assert b["balance_minor"] == 250000 - 100000 - 5000 + 200
    assert b["credits_minor"] == 250000 and b["payments_minor"] == 100000
    assert b["adjustments_minor"] == -4800 and b["entries"] == 4 and b["currency"] == "INR"
    r = await client.get(f"/api/khata/entries/{credit['id']}", headers=shop["approver"].headers)
    assert r.status_code == 200 and r.json()["reference"] == "INV-7"
    r = await client.get(
        "/api/khata/entries", params={"customer": cid}, headers=shop["viewer"].headers
    )
    assert r.json()["total"] == 4
    assert r.json()["items"][-1]["id"] == credit["id"]  # newest first


async def test_empty_balance(client: httpx.AsyncClient, shop: dict, customer: dict) -> None:
    b = await balance(client, shop["admin"], customer["id"])
    assert b["balance_minor"] == 0 and b["entries"] == 0 and b["currency"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "credit", "amount_minor": -5}, "amount_minor"),
        ({"kind": "credit", "amount_minor": 0}, "amount_minor"),
        ({"kind": "adjustment", "amount_minor": 0}, "amount_minor"),
        ({"kind": "credit", "amount_minor": 12.5}, "amount_minor"),
        ({"kind": "credit", "amount_minor": 10**14}, "amount_minor"),
        ({"kind": "payment", "amount_minor": -100, "method": "cash"}, "amount_minor"),
        ({"kind": "payment", "amount_minor": 100}, "method"),
        ({"kind": "payment", "amount_minor": 100, "method": "cheque"}, "method"),
        ({"kind": "credit", "amount_minor": 100, "method": "cash"}, "method"),
        (
            {
                "kind": "payment",
                "amount_minor": 100,
                "method": "upi",
                "order_id": str(uuid.uuid4()),
            },
            "order_id",
        ),
        ({"kind": "gift", "amount_minor": 100}, "kind"),
        ({"kind": "credit", "amount_minor": 100, "currency": "RUPEES"}, "currency"),
        ({"kind": "credit", "amount_minor": 100, "occurred_on": days_ago(-3)}, "occurred_on"),
        ({"kind": "credit", "amount_minor": 100, "occurred_on": "1999-12-31"}, "occurred_on"),
        ({"kind": "credit", "amount_minor": 100, "reference": "r" * 121}, "reference"),
    ],
)
async def test_entry_validation(
    client: httpx.AsyncClient, shop: dict, customer: dict, fields: dict, field: str
) -> None:
    r = await post_entry(client, shop["editor"], customer["id"], **fields)
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert field in error_fields(r), r.json()


async def test_one_currency_per_khata(
    client: httpx.AsyncClient, shop: dict, customer: dict
) -> None:
    await entry(client, shop["editor"], customer["id"], "credit", 100, currency="USD")
    r = await post_entry(
        client, shop["editor"], customer["id"], kind="credit", amount_minor=100, currency="INR"
    )
    assert r.status_code == 422 and error_fields(r) >= {"body", "currency"}
    # Another customer of the same business: the khata's currency still holds.
    other = await new_customer(client, shop["admin"], shop["business"].id, phone="+919800000001")
    r = await post_entry(client, shop["editor"], other["id"], kind="credit", amount_minor=100)
    assert r.status_code == 422


async def test_entries_are_immutable(client: httpx.AsyncClient, shop: dict, customer: dict) -> None:
    e = await entry(client, shop["admin"], customer["id"], "credit", 1000)
    url = f"/api/khata/entries/{e['id']}"
    for method in ("PATCH", "PUT", "DELETE"):
        r = await client.request(
            method, url, json={"amount_minor": 1}, headers=shop["admin"].headers
        )
        assert r.status_code == 405, method
        assert r.json()["type"] == "method_not_allowed"


async def test_reversal_once(client: httpx.AsyncClient, shop: dict, customer: dict) -> None:
    cid = customer["id"]
    e = await entry(client, shop["editor"], cid, "payment", 3000, method="card")
    url = f"/api/khata/entries/{e['id']}/reverse"
    r = await client.post(
        url, json={"reason": "card payment bounced"}, headers=shop["editor"].headers
    )
    assert r.status_code == 201, r.text
    rev = r.json()
    assert rev["reverses_id"] == e["id"] and rev["kind"] == "payment"
    assert rev["amount_minor"] == -3000 and rev["effect_minor"] == 3000
    assert rev["description"] == "card payment bounced" and rev["method"] == "card"
    assert (await balance(client, shop["admin"], cid))["balance_minor"] == 0
    r = await client.get(f"/api/khata/entries/{e['id']}", headers=shop["viewer"].headers)
    assert r.json()["reversed_by_id"] == rev["id"]
    r = await client.post(url, json={"reason": "again"}, headers=shop["editor"].headers)
    assert r.status_code == 409 and r.json()["type"] == "entry_already_reversed"
    r = await client.post(
        f"/api/khata/entries/{rev['id']}/reverse",
        json={"reason": "undo"},
        headers=shop["editor"].headers,
    )
    assert r.status_code == 409 and r.json()["type"] == "reversal_not_reversible"
    r = await client.post(url, json={"reason": ""}, headers=shop["editor"].headers)
    assert r.status_code == 422 and "reason" in error_fields(r)


@pytest.mark.parametrize(
    ("who", "write", "read", "reverse"),
    [
        ("admin", 201, 200, 201),
        ("editor", 201, 200, 201),
        ("approver", 403, 200, 403),
        ("viewer", 403, 200, 403),
        ("outsider", 404, 404, 404),
        ("buyer", 404, 404, 404),
        ("platform", 403, 200, 403),
    ],
)
async def test_entry_authorization(
    client: httpx.AsyncClient,
    shop: dict,
    customer: dict,
    who: str,
    write: int,
    read: int,
    reverse: int,
) -> None:
    caller, cid = shop[who], customer["id"]
    existing = await entry(client, shop["admin"], cid, "credit", 500)
    r = await post_entry(client, caller, cid, kind="credit", amount_minor=100)
    assert r.status_code == write, r.text
    for url in (
        f"/api/khata/entries/{existing['id']}",
        f"/api/khata/entries?customer={cid}",
        f"/api/customers/{cid}/khata",
        f"/api/customers/{cid}/statement",
    ):
        assert (await client.get(url, headers=caller.headers)).status_code == read, url
    r = await client.post(
        f"/api/khata/entries/{existing['id']}/reverse",
        json={"reason": "mistake"},
        headers=caller.headers,
    )
    assert r.status_code == reverse


async def test_anonymous_khata(client: httpx.AsyncClient, shop: dict, customer: dict) -> None:
    e = await entry(client, shop["admin"], customer["id"], "credit", 500)
    assert (
        await post_entry(client, None, customer["id"], kind="credit", amount_minor=1)
    ).status_code == 401
    assert (await client.get(f"/api/khata/entries/{e['id']}")).status_code == 401
    r = await client.post(f"/api/khata/entries/{e['id']}/reverse", json={"reason": "abc"})
    assert r.status_code == 401
    r = await client.get("/api/khata/summary", params={"business": str(shop["business"].id)})
    assert r.status_code == 401


async def _ledger(client: httpx.AsyncClient, shop: dict, cid: str) -> None:
    ed = shop["editor"]
    await entry(client, ed, cid, "credit", 10000, occurred_on=days_ago(40), reference="old")
    await entry(client, ed, cid, "payment", 4000, occurred_on=days_ago(35))
    await entry(client, ed, cid, "credit", 7000, occurred_on=days_ago(20), description="Kundan set")
    await entry(client, ed, cid, "payment", 2500, method="upi", occurred_on=days_ago(10))
    await entry(
        client, ed, cid, "adjustment", -500, occurred_on=days_ago(10), description="=SUM(A1)"
    )
    await entry(client, ed, cid, "credit", 1200, occurred_on=days_ago(2))


async def test_statement_running_balance(
    client: httpx.AsyncClient, shop: dict, customer: dict
) -> None:
    cid = customer["id"]
    await _ledger(client, shop, cid)
    r = await client.get(
        f"/api/customers/{cid}/statement",
        params={"date_from": days_ago(30), "date_to": days_ago(5)},
        headers=shop["viewer"].headers,
    )
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["opening_balance_minor"] == 10000 - 4000
    assert [(line["effect_minor"], line["balance_minor"]) for line in s["lines"]] == [
        (7000, 13000),
        (-2500, 10500),
        (-500, 10000),
    ]
    assert s["closing_balance_minor"] == 10000 and s["currency"] == "INR"
    assert s["business_name"] == "Swati Jewellers" and s["date_to"] == days_ago(5)
    # The whole history closes at the balance.
    r = await client.get(f"/api/customers/{cid}/statement", headers=shop["viewer"].headers)
    full = r.json()
    assert full["opening_balance_minor"] == 0 and len(full["lines"]) == 6
    assert (
        full["closing_balance_minor"]
        == (await balance(client, shop["admin"], cid))["balance_minor"]
    )
    assert full["closing_balance_minor"] == 10000 - 4000 + 7000 - 2500 - 500 + 1200


async def test_statement_date_order(client: httpx.AsyncClient, shop: dict, customer: dict) -> None:
    r = await client.get(
        f"/api/customers/{customer['id']}/statement",
        params={"date_from": days_ago(1), "date_to": days_ago(5)},
        headers=shop["admin"].headers,
    )
    assert r.status_code == 422 and "date_from" in error_fields(r)
    r = await client.get(
        f"/api/customers/{customer['id']}/statement",
        params={"format": "xls"},
        headers=shop["admin"].headers,
    )
    assert r.status_code == 422 and "format" in error_fields(r)


async def test_statement_csv(client: httpx.AsyncClient, shop: dict, customer: dict) -> None:
    cid = customer["id"]
    await _ledger(client, shop, cid)
    r = await client.get(
        f"/api/customers/{cid}/statement",
        params={"format": "csv", "date_from": days_ago(30)},
        headers=shop["admin"].headers,
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows[0]["kind"] == "opening" and rows[0]["balance"] == "60.00"
    assert [row["amount"] for row in rows[1:-1]] == ["70.00", "-25.00", "-5.00", "12.00"]
    assert [row["balance"] for row in rows[1:-1]] == ["130.00", "105.00", "100.00", "112.00"]
    assert rows[-1]["kind"] == "closing" and rows[-1]["balance"] == "112.00"
    assert {row["currency"] for row in rows} == {"INR"}
    # A description a spreadsheet would evaluate is neutralised.
    assert "'=SUM(A1)" in [row["description"] for row in rows]


@pytest.mark.parametrize(
    "name", ["Meena Sharma", "मीना शर्मा", "মীনা", "மீனா", "میٖنا", "美奈", "Zoë Ø'Brien", "Ёлка"]
)
async def test_statement_pdf_any_script(client: httpx.AsyncClient, shop: dict, name: str) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id, name=name)
    await _ledger(client, shop, c["id"])
    r = await client.get(
        f"/api/customers/{c['id']}/statement",
        params={"format": "pdf"},
        headers=shop["viewer"].headers,
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 500


async def test_future_day_is_refused_but_east_of_utc_today_is_fine(
    client: httpx.AsyncClient, shop: dict, customer: dict
) -> None:
    tomorrow = (today() + timedelta(days=2)).isoformat()
    r = await post_entry(
        client, shop["admin"], customer["id"], kind="credit", amount_minor=1, occurred_on=tomorrow
    )
    assert r.status_code == 422
    e = await entry(client, shop["admin"], customer["id"], "credit", 1, occurred_on=days_ago(0))
    assert e["occurred_on"] == today().isoformat()
