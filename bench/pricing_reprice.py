"""Benchmark re-pricing on a rate change (`haat.pricing.repricing.reprice_metal`).

Resets its own database (a file under /tmp for SQLite, ``haat_bench_pricing`` on
PostgreSQL), migrates it and loads one jeweller with ``--products`` gold jewellery products
(random weights, the four gold fineness grades, both kinds of making charge) priced at a
first rate, and ``--carts`` buyers each holding one of them in the cart. Then it changes the
gold rate ``--runs`` times through the service (`metal_rates.update_rate`, one transaction
each, committed), and prints wall-clock and process CPU time per change and per product, the
load average, and checks that every product and cart line took the new price.

    .venv/bin/python bench/pricing_reprice.py [--url URL] [--products 10000] [--carts 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from haat.businesses.models import Business, BusinessKind
from haat.catalog.models import Metal, Product, ProductJewellery, ProductStatus
from haat.commerce.models import CartLine
from haat.core.db import Database, session_scope, utcnow
from haat.core.migrate import upgrade
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, User
from haat.pricing import metal_rates
from haat.pricing.jewellery import PURITIES, price
from haat.pricing.models import MetalRate
from haat.pricing.schemas import MetalRateUpdate

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/haat_bench_pricing"
SQLITE_URL = "sqlite+aiosqlite:////tmp/haat_bench_pricing.db"
FIRST_RATE = 1_290_823  # the seeded June 2026 gold rate, paise per gram
BATCH = 2000


def reset(url: str) -> None:
    """An empty database at ``url``, migrated to head."""
    if url.startswith("sqlite"):
        Path(url.split(":///", 1)[1]).unlink(missing_ok=True)
    else:
        asyncio.run(_reset_postgres(url))
    upgrade(url)


async def _reset_postgres(url: str) -> None:
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    name = dsn.rsplit("/", 1)[1]
    admin = await asyncpg.connect(dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


async def load(db: Database, products: int, carts: int) -> tuple[uuid.UUID, uuid.UUID]:
    """The rows; returns (admin id, rate id)."""
    rng = random.Random(7)
    now = utcnow()
    admin_id, owner_id, business_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with session_scope(db) as s:
        for uid, role in ((admin_id, PlatformRole.ADMIN), (owner_id, PlatformRole.SELLER)):
            s.add(
                User(
                    id=uid,
                    email=f"{uid.hex}@bench.example",
                    full_name="Bench",
                    password_hash="x",
                    platform_role=role,
                )
            )
        await s.flush()
        s.add(
            Business(
                id=business_id,
                name="Bench Gold",
                slug="bench-gold",
                kind=BusinessKind.JEWELLERY_SHOP,
                city="Surat",
                country="IN",
                created_by_id=owner_id,
            )
        )
        rate = MetalRate(
            metal=Metal.GOLD,
            as_of=now.date() - timedelta(days=1),
            rate_minor_per_g=FIRST_RATE,
            source="bench",
        )
        s.add(rate)
        await s.flush()
        rate_id = rate.id
        ids = [uuid.uuid4() for _ in range(products)]
        for start in range(0, products, BATCH):
            rows: list[dict[str, Any]] = []
            specs: list[dict[str, Any]] = []
            for n, pid in enumerate(ids[start : start + BATCH], start):
                purity = rng.choice(PURITIES[Metal.GOLD])
                weight = rng.randint(1_500, 60_000)
                bp = rng.choice((None, 800, 1200, 1500))
                per_g = None if bp is not None else rng.choice((50_000, 80_000))
                b = price(
                    FIRST_RATE, weight, purity, making_charge_bp=bp, making_charge_per_g_minor=per_g
                )
                rows.append(
                    {
                        "id": pid,
                        "business_id": business_id,
                        "title": f"Piece {n}",
                        "description": "",
                        "search_terms": "",
                        "price_minor": b.subtotal_minor,
                        "currency": "INR",
                        "sku": f"GLD-{n:06d}",
                        "stock_quantity": 5,
                        "attributes": {},
                        "status": ProductStatus.APPROVED,
                        "published_at": now,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                specs.append(
                    {
                        "product_id": pid,
                        "metal": Metal.GOLD,
                        "purity": purity,
                        "weight_mg": weight,
                        "making_charge_bp": bp,
                        "making_charge_per_g_minor": per_g,
                        "rate_minor_per_g": FIRST_RATE,
                        "rate_as_of": rate.as_of,
                        "rate_source": "bench",
                        "metal_value_minor": b.metal_value_minor,
                        "making_charge_minor": b.making_charge_minor,
                        "gst_rate_bp": b.gst_rate_bp,
                        "gst_minor": b.gst_minor,
                        "priced_at": now,
                    }
                )
            await s.execute(insert(Product), rows)
            await s.execute(insert(ProductJewellery), specs)
        buyers = [uuid.uuid4() for _ in range(carts)]
        await s.execute(
            insert(User),
            [
                {
                    "id": b,
                    "email": f"{b.hex}@bench.example",
                    "full_name": "Buyer",
                    "password_hash": "x",
                    "platform_role": PlatformRole.BUYER,
                }
                for b in buyers
            ],
        )
        prices = dict((await s.execute(select(Product.id, Product.price_minor))).all())
        await s.execute(
            insert(CartLine),
            [
                {
                    "id": uuid.uuid4(),
                    "user_id": b,
                    "product_id": ids[i % products],
                    "quantity": 1,
                    "seen_price_minor": prices[ids[i % products]],
                    "seen_currency": "INR",
                    "created_at": now,
                    "updated_at": now,
                }
                for i, b in enumerate(buyers)
            ],
        )
    return admin_id, rate_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=os.environ.get("BENCH_URL", SQLITE_URL))
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--carts", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    reset(args.url)
    asyncio.run(run(args))


async def run(args: argparse.Namespace) -> None:
    db = Database(args.url, null_pool=True)
    try:
        started = time.perf_counter()
        admin_id, rate_id = await load(db, args.products, args.carts)
        print(
            f"loaded {args.products} products, {args.carts} cart lines in "
            f"{time.perf_counter() - started:.1f} s ({db.url.split(':')[0]})"
        )
        actor = Actor(user_id=admin_id, platform_role=PlatformRole.ADMIN)
        walls, cpus = [], []
        for run in range(args.runs):
            new_rate = FIRST_RATE + 1000 * (run + 1)
            wall, cpu = time.perf_counter(), time.process_time()
            async with session_scope(db) as s:
                _, result = await metal_rates.update_rate(
                    s, actor, rate_id, MetalRateUpdate(rate_minor_per_g=new_rate)
                )
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert (result.products, result.cart_lines) == (args.products, args.carts), result
        async with db.session(write=False) as s:
            stale = await s.scalar(
                select(func.count())
                .select_from(ProductJewellery)
                .where(ProductJewellery.rate_minor_per_g != new_rate)
            )
            behind = await s.scalar(
                select(func.count())
                .select_from(CartLine)
                .join(Product, Product.id == CartLine.product_id)
                .where(CartLine.seen_price_minor != Product.price_minor)
            )
            mismatched = await s.scalar(
                select(func.count())
                .select_from(Product)
                .join(ProductJewellery)
                .where(
                    Product.price_minor
                    != ProductJewellery.metal_value_minor + ProductJewellery.making_charge_minor
                )
            )
        assert stale == behind == mismatched == 0, (stale, behind, mismatched)
        load1, load5, _ = os.getloadavg()
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(
            f"rate change re-pricing {args.products} products + {args.carts} cart lines, "
            f"{args.runs} runs: wall p50 {wall * 1000:.0f} ms (max {max(walls) * 1000:.0f}), "
            f"CPU p50 {cpu * 1000:.0f} ms = {cpu / args.products * 1e6:.0f} us/product; "
            f"load average {load1:.2f} {load5:.2f}; every price and cart line checked"
        )
    finally:
        await db.dispose()


if __name__ == "__main__":
    main()
