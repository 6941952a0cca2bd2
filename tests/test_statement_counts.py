"""How many SQL statements the busiest requests send, per database, kept here so that a change
that adds a query (a membership read again at every check, an N+1) fails a test.

The counts include everything the request runs on its connection: the caller's user row,
BEGIN and COMMIT where the driver sends them as statements, the reads, the writes. If a change
lowers a count, lower it here too (and say so in the commit).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus
from haat.core.db import Database
from tests.commerce.conftest import ADDRESS
from tests.conftest import Factory
from tests.web.conftest import web_login

# {request: {dialect: statements}}. Before the repositories (main at ff5d999) they were 16/16,
# 12/5 and 10/9: the caller's business roles were read at every check, the photo policy and
# the reader's language once each for the check and again for the answer.
EXPECTED = {
    "approve": {"sqlite": 11, "postgresql": 11},
    "checkout": {"sqlite": 12, "postgresql": 5},
    "seller products page": {"sqlite": 8, "postgresql": 7},
}


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """The statements sent on the app's engines inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    engines = {db.read_engine.sync_engine, db.write_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)


def _expected(db: Database, name: str) -> int:
    return EXPECTED[name]["sqlite" if db.is_sqlite else "postgresql"]


async def test_approve(client: httpx.AsyncClient, factory: Factory, db: Database) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner)
    approver = await factory.member(shop, BusinessRole.APPROVER)
    product = await factory.product(shop, status=ProductStatus.PENDING_APPROVAL)
    with counted(db) as statements:
        r = await client.post(f"/api/products/{product.id}/approve", headers=approver.headers)
    assert r.status_code == 200, r.text
    assert len(statements) == _expected(db, "approve"), "\n".join(statements)


async def test_checkout(client: httpx.AsyncClient, factory: Factory, db: Database) -> None:
    seller = await factory.user("seller")
    shop = await factory.business(seller)
    other = await factory.business(await factory.user("other"), name="Other shop")
    buyer = await factory.user("buyer")
    for business, title in ((shop, "Vase"), (shop, "Bowl"), (other, "Shawl")):
        product = await factory.product(business, title=title, stock_quantity=9)
        r = await client.post(
            "/api/cart/items", json={"product_id": str(product.id)}, headers=buyer.headers
        )
        assert r.status_code in (200, 201), r.text
    headers = {**buyer.headers, "Idempotency-Key": f"count-{uuid.uuid4()}"}
    with counted(db) as statements:
        r = await client.post(
            "/api/orders/checkout", json={"delivery_address": ADDRESS}, headers=headers
        )
    assert r.status_code == 201, r.text
    assert len(statements) == _expected(db, "checkout"), "\n".join(statements)


async def test_seller_products_page(
    client: httpx.AsyncClient, factory: Factory, db: Database
) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner)
    for n in range(5):
        await factory.product(shop, title=f"Piece {n}")
    await web_login(client, owner)
    with counted(db) as statements:
        r = await client.get(f"/seller/{shop.id}/products")
    assert r.status_code == 200, r.text
    assert len(statements) == _expected(db, "seller products page"), "\n".join(statements)
