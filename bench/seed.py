"""Seed a benchmark database: migrate, load the demo, then add N approved products made from
the demo's real product texts (every title and description comes from the demo catalogue, with
a variant number), inserted with PostgreSQL COPY."""

from __future__ import annotations

import asyncio
import json
import random
from datetime import UTC, datetime, timedelta

import asyncpg
from rich.progress import Progress

from haat.catalog.search import search_terms_for
from haat.core.db import Database
from haat.core.migrate import upgrade
from haat.demo.loader import demo_id, load_demo

COLUMNS = (
    "id",
    "business_id",
    "category_id",
    "title",
    "description",
    "search_terms",
    "price_minor",
    "currency",
    "sku",
    "stock_quantity",
    "attributes",
    "status",
    "published_at",
    "created_at",
    "updated_at",
)


async def reset_database(url: str) -> None:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    name = dsn.rsplit("/", 1)[1]
    admin = await asyncpg.connect(dsn.rsplit("/", 1)[0] + "/postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def seed(url: str, extra: int) -> dict[str, float]:
    """Reset, migrate, load the demo (timed) and add ``extra`` approved products."""
    await reset_database(url)
    await asyncio.to_thread(upgrade, url)
    db = Database(url, null_pool=True)
    started = datetime.now(UTC)
    async with db.session() as session:
        await load_demo(session)
        await session.commit()
    demo_s = (datetime.now(UTC) - started).total_seconds()
    await db.dispose()

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        templates = await conn.fetch(
            """SELECT p.business_id, p.category_id, p.title, p.description, p.price_minor,
                      p.currency, p.attributes, c.name AS category, b.name AS business
               FROM products p JOIN businesses b ON b.id = p.business_id
               LEFT JOIN categories c ON c.id = p.category_id"""
        )
        # Four craft products for every stone: the demo alone is mostly diamonds.
        crafts = [t for t in templates if t["currency"] == "INR"]
        stones = [t for t in templates if t["currency"] != "INR"]
        rng = random.Random(7)
        now = datetime(2026, 11, 1, tzinfo=UTC)
        rows = []
        with Progress() as bar:
            task = bar.add_task("building products", total=extra)
            for i in range(extra):
                t = stones[i % len(stones)] if i % 5 == 0 else crafts[i % len(crafts)]
                attributes = json.loads(t["attributes"])
                when = now - timedelta(minutes=rng.randint(0, 400 * 24 * 60))
                rows.append(
                    (
                        demo_id("bench-product", str(i)),
                        t["business_id"],
                        t["category_id"],
                        f"{t['title']} (variant {i})",
                        t["description"],
                        search_terms_for(attributes, t["category"], t["business"]),
                        max(100, int(t["price_minor"] * rng.uniform(0.6, 1.6))),
                        t["currency"],
                        f"BENCH-{i:07d}",
                        rng.randint(0, 50),
                        json.dumps(attributes),
                        "approved",
                        when,
                        when,
                        when,
                    )
                )
                if i % 5000 == 4999:
                    bar.advance(task, 5000)
            await conn.copy_records_to_table("products", records=rows, columns=COLUMNS)
        await conn.execute("VACUUM ANALYZE products")
        total = await conn.fetchval("SELECT count(*) FROM products WHERE status = 'approved'")
    finally:
        await conn.close()
    return {"demo_seconds": round(demo_s, 2), "approved_products": total}


def sample_ids(url: str, n: int = 2000) -> list[str]:
    async def fetch() -> list[str]:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            rows = await conn.fetch(
                "SELECT id FROM products WHERE status = 'approved' ORDER BY random() LIMIT $1", n
            )
        finally:
            await conn.close()
        return [str(r["id"]) for r in rows]

    return asyncio.run(fetch())


if __name__ == "__main__":
    import sys

    print(asyncio.run(seed(sys.argv[1], int(sys.argv[2]))))
