"""Signed statement links and balances of many customers at once."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest

from haat.core.errors import NotFound
from haat.customers import khata, sharing
from haat.customers.models import Customer
from tests.conftest import Factory
from tests.customers.conftest import entry, new_customer

SECRET = "s" * 40


async def test_share_token_round_trip_and_refusals(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    customer = await new_customer(client, shop["admin"], shop["business"].id)
    await entry(client, shop["admin"], customer["id"], "credit", 5000)
    cid = uuid.UUID(customer["id"])
    async with factory.session() as s:
        token = await sharing.share_token(s, shop["viewer"].actor, cid, SECRET)
        statement = await sharing.shared_statement(s, token, SECRET)
        assert statement.closing_balance_minor == 5000
        with pytest.raises(NotFound):
            await sharing.shared_statement(s, token, "another-secret-" * 3)
        with pytest.raises(NotFound):
            await sharing.shared_statement(s, token[:-3] + "abc", SECRET)
        with pytest.raises(NotFound):  # outsiders cannot make a link
            await sharing.share_token(s, shop["outsider"].actor, cid, SECRET)


async def test_share_token_expires(
    client: httpx.AsyncClient,
    factory: Factory,
    shop: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer = await new_customer(client, shop["admin"], shop["business"].id)
    cid = uuid.UUID(customer["id"])
    async with factory.session() as s:
        token = await sharing.share_token(s, shop["admin"].actor, cid, SECRET)
        later = time.time() + sharing.SHARE_TTL_S + 5
        monkeypatch.setattr(time, "time", lambda: later)
        with pytest.raises(NotFound):
            await sharing.shared_customer(s, token, SECRET)


async def test_archived_customer_link_stops(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    customer = await new_customer(client, shop["admin"], shop["business"].id)
    cid = uuid.UUID(customer["id"])
    async with factory.session() as s:
        token = await sharing.share_token(s, shop["admin"].actor, cid, SECRET)
        row = await s.get(Customer, cid)
        assert row is not None
        row.archived = True
        await s.commit()
    async with factory.session() as s:
        with pytest.raises(NotFound):
            await sharing.shared_customer(s, token, SECRET)


async def test_balances_of_many(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    admin = shop["admin"]
    a = await new_customer(client, admin, shop["business"].id)
    b = await new_customer(client, admin, shop["business"].id, phone="+919800000002")
    c = await new_customer(client, admin, shop["business"].id, phone="+919800000003")
    await entry(client, admin, a["id"], "credit", 10_000)
    await entry(client, admin, a["id"], "payment", 2_500)
    await entry(client, admin, b["id"], "payment", 700)
    ids = [uuid.UUID(x["id"]) for x in (a, b, c)]
    async with factory.session() as s:
        owed = await khata.balances_of(s, shop["viewer"].actor, shop["business"].id, ids)
        assert owed == {ids[0]: 7_500, ids[1]: -700}
        assert await khata.balances_of(s, admin.actor, shop["business"].id, []) == {}
        with pytest.raises(NotFound):
            await khata.balances_of(s, shop["outsider"].actor, shop["business"].id, ids)
