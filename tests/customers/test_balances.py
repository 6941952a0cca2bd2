"""The khata roll-ups (running balances, ageing days): kept with every entry, equal to a
rebuild from the entries, and filled by the migration from the entries already there."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import httpx
from sqlalchemy import select

from haat.core.db import Database
from haat.customers.balances import rebuild
from haat.customers.models import KhataAgeingDay, KhataBalance
from tests.customers.conftest import days_ago, entry, new_customer


async def rollups(db: Database) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    """Balances as (customer, business, balance, entries); non-zero ageing days."""
    async with db.session(write=False) as s:
        balances = {
            (b.customer_id, b.business_id, b.balance_minor, b.entries)
            for b in await s.scalars(select(KhataBalance))
        }
        days = {
            (d.customer_id, d.day, d.business_id, d.increase_minor)
            for d in await s.scalars(select(KhataAgeingDay))
            if d.increase_minor
        }
    return balances, days


async def test_rollups_follow_every_entry_and_match_a_rebuild(
    client: httpx.AsyncClient, shop: dict, db: Database
) -> None:
    ed, business = shop["editor"], shop["business"].id
    meena = (await new_customer(client, shop["admin"], business, phone="+919800000011"))["id"]
    ravi = (await new_customer(client, shop["admin"], business, phone="+919800000012"))["id"]
    await entry(client, ed, meena, "credit", 1000, occurred_on=days_ago(40))
    await entry(client, ed, meena, "credit", 300, occurred_on=days_ago(40))  # the same day
    typo = await entry(client, ed, meena, "credit", 5000, occurred_on=days_ago(3))
    await entry(client, ed, meena, "payment", 700, method="upi")
    await entry(client, ed, meena, "adjustment", -50, occurred_on=days_ago(1))
    await entry(client, ed, meena, "adjustment", 20, occurred_on=days_ago(1))
    bounced = await entry(client, ed, ravi, "payment", 900, method="card")
    await entry(client, ed, ravi, "credit", 400, occurred_on=days_ago(100))
    for reversed_entry in (typo, bounced):
        r = await client.post(
            f"/api/khata/entries/{reversed_entry['id']}/reverse",
            json={"reason": "mistake"},
            headers=ed.headers,
        )
        assert r.status_code == 201
    # Another business's khata has rows of its own.
    other = (await new_customer(client, shop["outsider"], shop["other_business"].id))["id"]
    await entry(client, shop["outsider"], other, "credit", 77, occurred_on=days_ago(5))

    balances, days = await rollups(db)
    m, r = uuid.UUID(meena), uuid.UUID(ravi)
    by_customer = {b[0]: b for b in balances}
    assert by_customer[m][2:] == (1000 + 300 + 5000 - 700 - 50 + 20 - 5000, 7)
    assert by_customer[r][2:] == (-900 + 400 + 900, 3)
    ageing = {(d[0], d[1].isoformat()): d[3] for d in days}
    assert ageing[(m, days_ago(40))] == 1300
    assert ageing[(m, days_ago(1))] == 20  # the negative adjustment is no increase
    assert (m, days_ago(3)) not in ageing  # the reversed credit nets out
    assert ageing[(r, days_ago(100))] == 400  # the reversed payment adds nothing
    assert len([d for d in days if d[0] in (m, r)]) == 3

    async with db.session() as s:
        await rebuild(s)
        await s.commit()
    assert await rollups(db) == (balances, days)


def test_the_migration_fills_the_rollups_from_existing_entries(tmp_path: Path) -> None:
    from haat.core.migrate import upgrade

    path = tmp_path / "before.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url, "e4f5a6b7c8d9")
    user, shop, meena, ravi = (uuid.uuid4().hex for _ in range(4))
    now = "2026-11-30 10:00:00"

    def khata(kind: str, amount: int, day: str, customer: str, reverses: str | None = None) -> str:
        entry_id = uuid.uuid4().hex
        conn.execute(
            "INSERT INTO khata_entries (id, business_id, customer_id, kind, amount_minor, "
            "currency, occurred_on, description, reverses_id, created_at, method) "
            "VALUES (?, ?, ?, ?, ?, 'INR', ?, '', ?, ?, ?)",
            (
                entry_id,
                shop,
                customer,
                kind,
                amount,
                day,
                reverses,
                now,
                "cash" if kind == "payment" else None,
            ),
        )
        return entry_id

    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO users (id, email, full_name, preferred_language, currency, "
            "platform_role, is_active, created_at, updated_at) "
            "VALUES (?, 'o@example.com', 'O', 'en', 'INR', 'seller', 1, ?, ?)",
            (user, now, now),
        )
        conn.execute(
            "INSERT INTO businesses (id, name, slug, kind, description, city, country, "
            "requires_approval, created_by_id, created_at, updated_at) "
            "VALUES (?, 'Shop', 'shop', 'jewellery_shop', '', 'Surat', 'IN', 1, ?, ?, ?)",
            (shop, user, now, now),
        )
        for customer, phone in ((meena, "+919800000021"), (ravi, "+919800000022")):
            conn.execute(
                "INSERT INTO customers (id, business_id, name, phone, address, notes, "
                "preferred_language, archived, created_at, updated_at) "
                "VALUES (?, ?, 'C', ?, '', '', 'en', 0, ?, ?)",
                (customer, shop, phone, now, now),
            )
        khata("credit", 1000, "2026-10-01", meena)
        khata("credit", 250, "2026-10-01", meena)
        typo = khata("credit", 5000, "2026-11-20", meena)
        khata("credit", -5000, "2026-11-30", meena, reverses=typo)
        khata("payment", 400, "2026-11-25", meena)
        bounced = khata("payment", 900, "2026-11-26", ravi)
        khata("payment", -900, "2026-11-30", ravi, reverses=bounced)
        khata("adjustment", -10, "2026-11-27", ravi)
        khata("adjustment", 40, "2026-11-28", ravi)
    upgrade(url)
    with sqlite3.connect(path) as conn:
        balances = set(
            conn.execute("SELECT customer_id, balance_minor, entries FROM khata_balances")
        )
        days = set(conn.execute("SELECT customer_id, day, increase_minor FROM khata_ageing_days"))
    assert balances == {(meena, 1000 + 250 - 400, 5), (ravi, 30, 4)}
    assert days == {(meena, "2026-10-01", 1250), (ravi, "2026-11-28", 40)}
