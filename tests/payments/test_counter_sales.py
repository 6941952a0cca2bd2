"""Counter sales: order, stock, payment and ledger entry in one transaction; a crash anywhere
between taking the stock and recording the payment leaves nothing behind."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from haat.catalog.models import Product
from haat.commerce.models import Order
from haat.core.db import Database
from haat.payments import funding, lifecycle
from haat.payments.models import Payment
from tests.conftest import Caller
from tests.payments.conftest import Shop, assert_balanced, balances, entry_count


async def customer(client: httpx.AsyncClient, staff: Caller, shop: Shop) -> str:
    r = await client.post(
        "/api/customers",
        headers=staff.headers,
        json={
            "business_id": str(shop.business.id),
            "name": "Meena Sharma",
            "phone": "+919811122233",
        },
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def sale(customer_id: str, shop: Shop, quantity: int = 2, method: str = "upi") -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "items": [{"product_id": str(shop.vase.id), "quantity": quantity}],
        "method": method,
    }


async def sell(
    client: httpx.AsyncClient, staff: Caller, body: dict[str, Any], key: str | None = None
) -> httpx.Response:
    return await client.post(
        "/api/payments/counter-sales",
        headers={**staff.headers, "Idempotency-Key": key or uuid.uuid4().hex},
        json=body,
    )


async def stock(db: Database, product: Product) -> int:
    async with db.session(write=False) as s:
        return int(
            await s.scalar(select(Product.stock_quantity).where(Product.id == product.id)) or 0
        )


async def counts(db: Database) -> tuple[int, int]:
    async with db.session(write=False) as s:
        orders = await s.scalar(select(func.count()).select_from(Order))
        payments = await s.scalar(select(func.count()).select_from(Payment))
        return int(orders or 0), int(payments or 0)


async def test_a_counter_sale_is_paid_at_once(
    client: httpx.AsyncClient, shop: Shop, db: Database
) -> None:
    cid = await customer(client, shop.editor, shop)
    r = await sell(client, shop.editor, sale(cid, shop), key="counter-0000001")
    assert r.status_code == 201, r.text
    order, payment = r.json()["order"], r.json()["payment"]
    assert order["payment_status"] == "paid" and order["customer_id"] == cid
    assert payment["provider"] == "manual" and payment["method"] == "upi"
    assert payment["status"] == "succeeded" and payment["amount_minor"] == order["total_minor"]
    assert await stock(db, shop.vase) == 18
    again = await sell(client, shop.editor, sale(cid, shop), key="counter-0000001")
    assert again.status_code == 200 and again.json()["payment"]["id"] == payment["id"]
    assert await stock(db, shop.vase) == 18
    other = await sell(client, shop.editor, sale(cid, shop, 1), key="counter-0000001")
    assert other.status_code == 422
    assert await balances(db) == {
        f"seller:{shop.business.id}:payable": order["total_minor"],
        f"escrow:{order['id']}": -order["total_minor"],
    }
    await assert_balanced(db)


async def test_who_may_sell_at_the_counter(client: httpx.AsyncClient, shop: Shop) -> None:
    cid = await customer(client, shop.editor, shop)
    assert (
        await client.post(
            "/api/payments/counter-sales",
            headers={"Idempotency-Key": "k" * 10},
            json=sale(cid, shop),
        )
    ).status_code == 401
    assert (await sell(client, shop.viewer, sale(cid, shop))).status_code == 403
    assert (await sell(client, shop.outsider, sale(cid, shop))).status_code == 404
    assert (await sell(client, shop.buyer, sale(cid, shop))).status_code == 404


@pytest.mark.parametrize("where", ["before_payment", "after_ledger_entry"])
async def test_a_crash_leaves_no_stock_taken_and_no_entry(
    app: FastAPI, shop: Shop, db: Database, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        cid = await customer(client, shop.editor, shop)
        if where == "before_payment":

            async def crash(*args: object, **kwargs: object) -> None:
                raise RuntimeError("injected crash after the stock was taken")

            monkeypatch.setattr(lifecycle.charges, "open_payment", crash)
        else:
            real_post = funding.ledger.post

            async def post_then_crash(*args: Any, **kwargs: Any) -> Any:
                await real_post(*args, **kwargs)
                raise RuntimeError("injected crash after the ledger entry was written")

            monkeypatch.setattr(funding.ledger, "post", post_then_crash)
        r = await sell(client, shop.editor, sale(cid, shop))
        assert r.status_code == 500
        monkeypatch.undo()
        assert await stock(db, shop.vase) == 20
        assert await counts(db) == (0, 0)
        assert await entry_count(db) == 0
        retry = await sell(client, shop.editor, sale(cid, shop))
        assert retry.status_code == 201 and await stock(db, shop.vase) == 18
