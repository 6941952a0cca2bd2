"""Benchmark the khata summary (`haat.customers.summary.business_summary`) on PostgreSQL.

Resets its own database (``haat_bench_khata``), migrates it, and loads with COPY one business
with 5,000 customers and 200,000 khata entries (credits, payments, adjustments and ~1%
reversals over the last 400 days) plus a second business of 1,000 customers and 20,000
entries that the summary must skip, then fills the running balances from the entries (as the
migration does). Then times ~30 service calls (after 3 warm-ups) and prints p50/p95 in
milliseconds, interleaved with the same number of runs of the statement the summary used
before the running balances (a grouped scan of every entry), whose answer must be the same.
Target: p50 <= 100 ms.

    .venv/bin/python bench/khata_summary.py [--url postgresql+asyncpg://...] [--calls 30]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy import case, func, select, text
from sqlalchemy.orm import aliased

from haat.businesses.models import Business, BusinessKind, BusinessRole, Membership
from haat.core.db import Database
from haat.core.migrate import upgrade
from haat.customers.balances import rebuild
from haat.customers.models import KhataEntry
from haat.customers.repository.rollups import effect_column
from haat.customers.repository.rollups import is_increase_column as _is_increase
from haat.customers.repository.summary import (
    BUCKET_DAYS,
    _least,
    collections_this_month,
    summary_statement,
)
from haat.customers.summary import business_summary
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, User

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/haat_bench_khata"
CUSTOMER_COLUMNS = (
    "id",
    "business_id",
    "name",
    "phone",
    "email",
    "address",
    "notes",
    "preferred_language",
    "archived",
    "created_by_id",
    "created_at",
    "updated_at",
)
ENTRY_COLUMNS = (
    "id",
    "business_id",
    "customer_id",
    "kind",
    "amount_minor",
    "currency",
    "occurred_on",
    "method",
    "order_id",
    "reference",
    "description",
    "reverses_id",
    "created_by_id",
    "created_at",
)


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def reset_database(url: str) -> None:
    dsn = _dsn(url)
    name = dsn.rsplit("/", 1)[1]
    admin = await asyncpg.connect(dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def create_business(db: Database, name: str) -> tuple[uuid.UUID, uuid.UUID]:
    """An owner and their business; returns (user id, business id)."""
    async with db.session() as s:
        user = User(
            email=f"{uuid.uuid4().hex[:8]}@bench.example",
            password_hash="x",
            full_name=f"{name} owner",
            platform_role=PlatformRole.SELLER,
        )
        s.add(user)
        await s.flush()
        business = Business(
            name=name,
            slug=f"bench-{uuid.uuid4().hex[:8]}",
            kind=BusinessKind.JEWELLERY_SHOP,
            city="Jaipur",
            country="IN",
            created_by_id=user.id,
        )
        s.add(business)
        await s.flush()
        s.add(Membership(business_id=business.id, user_id=user.id, role=BusinessRole.ADMIN))
        await s.commit()
        return user.id, business.id


def make_rows(
    rng: random.Random,
    business_id: uuid.UUID,
    user_id: uuid.UUID,
    customers: int,
    entries: int,
    phone_base: int,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    now = datetime.now(UTC)
    today = now.date()
    customer_rows, entry_rows = [], []
    ids = [uuid.uuid4() for _ in range(customers)]
    for i, cid in enumerate(ids):
        phone = f"+9198{phone_base + i:08d}"
        customer_rows.append(
            (cid, business_id, f"Customer {i}", phone, None, "", "", "hi", False, user_id, now, now)
        )
    per_customer = entries // customers
    for cid in ids:
        rows: list[tuple[Any, ...]] = []
        for _ in range(per_customer):
            day: date = today - timedelta(days=rng.randint(0, 400))
            roll = rng.random()
            if rows and roll < 0.01:  # reverse an earlier, not yet reversed, entry
                original = rng.choice(rows)
                if original[11] is None and not any(r[11] == original[0] for r in rows):
                    rows.append(
                        (
                            uuid.uuid4(),
                            business_id,
                            cid,
                            original[3],
                            -original[4],
                            "INR",
                            max(today, original[6]),
                            original[7],
                            None,
                            None,
                            "mistake",
                            original[0],
                            user_id,
                            now,
                        )
                    )
                    continue
            if roll < 0.60:
                kind, amount, method = "credit", rng.randint(1_000, 5_000_000), None
            elif roll < 0.95:
                kind, amount, method = "payment", rng.randint(1_000, 3_000_000), "upi"
            else:
                kind, amount, method = "adjustment", rng.randint(-50_000, 50_000) or 1, None
            rows.append(
                (
                    uuid.uuid4(),
                    business_id,
                    cid,
                    kind,
                    amount,
                    "INR",
                    day,
                    method,
                    None,
                    None,
                    "",
                    None,
                    user_id,
                    now,
                )
            )
        entry_rows.extend(rows)
    return customer_rows, entry_rows


async def seed(url: str) -> tuple[uuid.UUID, uuid.UUID, int]:
    """Reset, migrate and load; returns (owner id, business id, entries loaded)."""
    await reset_database(url)
    await asyncio.to_thread(upgrade, url)
    db = Database(url, null_pool=True)
    owner, business = await create_business(db, "Bench Jewellers")
    noise_owner, noise = await create_business(db, "Noise Traders")
    await db.dispose()
    rng = random.Random(20261124)
    main_c, main_e = make_rows(rng, business, owner, 5_000, 200_000, 0)
    noise_c, noise_e = make_rows(rng, noise, noise_owner, 1_000, 20_000, 5_000)
    conn = await asyncpg.connect(_dsn(url))
    try:
        await conn.copy_records_to_table(
            "customers", records=main_c + noise_c, columns=CUSTOMER_COLUMNS
        )
        await conn.copy_records_to_table(
            "khata_entries", records=main_e + noise_e, columns=ENTRY_COLUMNS
        )
    finally:
        await conn.close()
    db = Database(url, null_pool=True)
    async with db.session() as s:
        await rebuild(s)
        await s.commit()
    await db.dispose()
    conn = await asyncpg.connect(_dsn(url))
    try:
        # What autovacuum does soon after a load: statistics, and the visibility map that
        # lets the roll-ups be read by index-only scans.
        await conn.execute("ANALYZE customers; ANALYZE khata_entries")
        await conn.execute("VACUUM ANALYZE khata_balances, khata_ageing_days")
    finally:
        await conn.close()
    return owner, business, len(main_e)


def previous_statement(business_id: uuid.UUID, today: date) -> Any:
    """The summary's statement before the running balances: B and S(c) summed over every
    entry of the business in one grouped scan. Kept here to compare answers and times."""
    cutoffs = [today - timedelta(days=d) for d in BUCKET_DAYS]
    size = func.abs(KhataEntry.amount_minor)
    per_customer = (
        select(
            KhataEntry.customer_id,
            func.sum(effect_column()).label("balance"),
            *[
                func.coalesce(
                    func.sum(size).filter(_is_increase(KhataEntry), KhataEntry.occurred_on >= c),
                    0,
                ).label(f"s{d}")
                for d, c in zip(BUCKET_DAYS, cutoffs, strict=True)
            ],
        )
        .where(KhataEntry.business_id == business_id)
        .group_by(KhataEntry.customer_id)
        .subquery("per_customer")
    )
    reversal, original = aliased(KhataEntry), aliased(KhataEntry)
    original_day = (
        select(original.occurred_on).where(original.id == reversal.reverses_id).scalar_subquery()
    )
    increase_day = case((_is_increase(reversal), reversal.occurred_on), else_=original_day)
    pairs = (
        select(
            reversal.customer_id,
            *[
                func.coalesce(
                    func.sum(func.abs(reversal.amount_minor)).filter(increase_day >= c), 0
                ).label(f"r{d}")
                for d, c in zip(BUCKET_DAYS, cutoffs, strict=True)
            ],
        )
        .where(reversal.business_id == business_id, reversal.reverses_id.is_not(None))
        .group_by(reversal.customer_id)
        .subquery("pairs")
    )
    b = per_customer.c.balance
    owed = b > 0
    younger = [
        _least(b, per_customer.c[f"s{d}"] - func.coalesce(pairs.c[f"r{d}"], 0)) for d in BUCKET_DAYS
    ]
    buckets = [younger[0], younger[1] - younger[0], younger[2] - younger[1], b - younger[2]]

    def total(expr: Any) -> Any:
        return func.coalesce(func.sum(expr).filter(owed), 0)

    collections = collections_this_month(business_id, today)
    return select(
        total(b),
        func.coalesce(func.sum(-b).filter(b < 0), 0),
        func.count().filter(owed),
        *[total(x) for x in buckets],
        collections,
    ).select_from(per_customer.outerjoin(pairs, pairs.c.customer_id == per_customer.c.customer_id))


async def measure(
    url: str, owner: uuid.UUID, business: uuid.UUID, calls: int
) -> tuple[list[float], list[float]]:
    """Timings (ms) of the summary service and of the previous statement, interleaved."""
    db = Database(url, pool_size=2)
    actor = Actor(user_id=owner, platform_role=PlatformRole.SELLER)
    timings, previous = [], []
    try:
        for i in range(calls + 3):
            async with db.session(write=False) as session:
                started = time.perf_counter()
                result = await business_summary(session, actor, business)
                elapsed = (time.perf_counter() - started) * 1000
            async with db.session(write=False) as session:
                started = time.perf_counter()
                old = (await session.execute(previous_statement(business, result.as_of))).one()
                elapsed_old = (time.perf_counter() - started) * 1000
            if i >= 3:
                timings.append(elapsed)
                previous.append(elapsed_old)
        print("summary:", result.model_dump_json())
        a = result.ageing
        new = (
            result.total_receivable_minor,
            result.advances_minor,
            result.customers_with_dues,
            a.days_0_30,
            a.days_31_60,
            a.days_61_90,
            a.days_over_90,
            result.collections_this_month_minor,
        )
        same = new == tuple(int(v or 0) for v in old)
        print("same answer as the full scan:", same)
        if not same:
            raise SystemExit(f"answers differ: {new} vs {tuple(old)}")
        async with db.session(write=False) as session:
            stmt = summary_statement(business, result.as_of)
            compiled = stmt.compile(
                dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
            )
            plan = await session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}"))
            lines = [row[0] for row in plan]
            print("plan (top):", *lines[:3], "...", lines[-1], sep="\n  ")
    finally:
        await db.dispose()
    return timings, previous


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    started = time.perf_counter()
    owner, business, loaded = await seed(args.url)
    print(
        f"seeded 5,000 customers, {loaded:,} entries (+ a 20,000-entry neighbour) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    timings, previous = await measure(args.url, owner, business, args.calls)
    for name, values in (("business_summary", timings), ("previous full scan", previous)):
        p50 = statistics.median(values)
        p95 = statistics.quantiles(values, n=20)[18]
        print(
            f"{name} over {len(values)} calls: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
            f"min {min(values):.1f} ms, max {max(values):.1f} ms (target p50 <= 100 ms)"
        )


if __name__ == "__main__":
    asyncio.run(main())
