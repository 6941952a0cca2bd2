"""Issue-3 benchmark: checkouts of 3-line carts on PostgreSQL with `haat serve --workers 2`.

Resets its own database (``haat_bench_checkout``), migrates it and loads 8 sellers with 50
products each (plenty of stock) plus 10 scarce products of 20 units, and 32 buyers. Serves
Haat as deployed (``HAAT_ENV=production``, a random ``SECRET_KEY``, ``REDIS_URL``) with
``haat serve --workers 2 --no-access-log``. Then 32 concurrent buyers (asyncio + httpx, one
keep-alive connection each) each loop: fill a cart with 3 different products
(``POST /api/cart/items``; one cart in ten holds a scarce product), check out
(``POST /api/orders/checkout`` with a new Idempotency-Key). A buyer who loses a race for a
scarce product (409) drops that line and checks out the rest. Runs ``--warmup`` seconds
unmeasured, then ``--duration`` seconds measured, then stops by itself.

Afterwards it checks the database: every product's stock equals its initial stock minus the
quantities ordered (no oversell, none below zero), and the orders stored equal the orders the
buyers were given. Prints a Markdown table for RESULTS.md and writes bench/out/checkout.json.

    .venv/bin/python bench/checkout.py [--duration 20] [--buyers 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed import reset_database  # noqa: E402

from haat.businesses.models import Business, BusinessKind, BusinessRole, Membership
from haat.catalog.models import Product, ProductStatus
from haat.core.db import Database, utcnow
from haat.core.migrate import upgrade
from haat.core.security import encode_access_token
from haat.identity.models import PlatformRole, User

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB_URL = os.environ.get(
    "HAAT_BENCH_CHECKOUT_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/haat_bench_checkout"
)
REDIS_URL = os.environ.get("HAAT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
PLENTY, SCARCE = 1_000_000, 20
ADDRESS = {
    "name": "Lena Becker",
    "phone": "+4915112345678",
    "line1": "Hauptstr. 5",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}


@dataclass
class Catalogue:
    plenty: list[str]
    scarce: list[str]
    initial: dict[str, int]
    buyers: list[uuid.UUID]


async def seed(url: str, sellers: int, per_seller: int, buyers: int) -> Catalogue:
    await reset_database(url)
    await asyncio.to_thread(upgrade, url)
    db = Database(url, null_pool=True)
    rng = random.Random(3)
    plenty: list[str] = []
    scarce: list[str] = []
    initial: dict[str, int] = {}
    buyer_ids: list[uuid.UUID] = []
    try:
        async with db.session() as s:
            for n in range(sellers):
                owner = User(
                    email=f"seller{n}@bench.example",
                    full_name=f"Seller {n}",
                    platform_role=PlatformRole.SELLER,
                )
                s.add(owner)
                await s.flush()
                shop = Business(
                    name=f"Bench shop {n}",
                    slug=f"bench-shop-{n}",
                    kind=BusinessKind.ARTISAN_WORKSHOP,
                    city="Jaipur",
                    country="IN",
                    created_by_id=owner.id,
                )
                s.add(shop)
                await s.flush()
                s.add(Membership(business_id=shop.id, user_id=owner.id, role=BusinessRole.ADMIN))
                count = per_seller + (2 if n < 5 else 0)  # the first 5 shops: 2 scarce each
                for i in range(count):
                    is_scarce = i >= per_seller
                    product = Product(
                        business_id=shop.id,
                        title=f"Bench product {n}-{i}",
                        price_minor=rng.randint(5_000, 500_000),
                        currency="INR",
                        sku=f"B{n}-{i}",
                        stock_quantity=SCARCE if is_scarce else PLENTY,
                        status=ProductStatus.APPROVED,
                        published_at=utcnow(),
                    )
                    s.add(product)
                    await s.flush()
                    (scarce if is_scarce else plenty).append(str(product.id))
                    initial[str(product.id)] = product.stock_quantity
            for n in range(buyers):
                buyer = User(email=f"buyer{n}@bench.example", full_name=f"Buyer {n}")
                s.add(buyer)
                await s.flush()
                buyer_ids.append(buyer.id)
            await s.commit()
    finally:
        await db.dispose()
    return Catalogue(plenty, scarce, initial, buyer_ids)


@dataclass
class Tally:
    measuring: bool = False
    checkouts: int = 0
    orders_given: int = 0
    checkout_ms: list[float] = field(default_factory=list)
    cart_ms: list[float] = field(default_factory=list)
    flow_ms: list[float] = field(default_factory=list)
    conflicts: int = 0  # expected 409s: a scarce product sold out under the buyer
    errors: dict[str, int] = field(default_factory=dict)
    orders_all: int = 0  # including the warm-up, for the database check
    cpu: dict[str, float] = field(default_factory=dict)  # measured window, seconds

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def buyer_loop(
    base: str, token: str, catalogue: Catalogue, tally: Tally, stop: asyncio.Event, seed_: int
) -> None:
    rng = random.Random(seed_)
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as c:
        while not stop.is_set():
            picks = rng.sample(catalogue.plenty, 3)
            if rng.random() < 0.1:
                picks[0] = rng.choice(catalogue.scarce)
            flow_started = time.perf_counter()
            for product_id in picks:
                started = time.perf_counter()
                r = await c.post("/api/cart/items", json={"product_id": product_id, "quantity": 1})
                if tally.measuring:
                    tally.cart_ms.append((time.perf_counter() - started) * 1000)
                if r.status_code == 409:
                    tally.conflicts += tally.measuring
                elif r.status_code != 200:
                    tally.error(f"cart {r.status_code}")
            for _attempt in range(2):
                started = time.perf_counter()
                r = await c.post(
                    "/api/orders/checkout",
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                    json={"delivery_address": ADDRESS},
                )
                elapsed = (time.perf_counter() - started) * 1000
                if r.status_code == 201:
                    tally.orders_all += len(r.json())
                    if tally.measuring:
                        tally.checkouts += 1
                        tally.orders_given += len(r.json())
                        tally.checkout_ms.append(elapsed)
                        tally.flow_ms.append((time.perf_counter() - flow_started) * 1000)
                    break
                if r.status_code == 409 and "product_id" in r.json():
                    tally.conflicts += tally.measuring
                    await c.delete(f"/api/cart/items/{r.json()['product_id']}")
                    continue
                tally.error(f"checkout {r.status_code}")
                await c.request("DELETE", "/api/cart/items/" + picks[0])
                break


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the given processes (those still alive), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


async def backend_pids(url: str) -> list[int]:
    """The PostgreSQL backends serving the benchmark's database (the workers' pools)."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
    finally:
        await conn.close()
    return [r["pid"] for r in rows]


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))], 1)


async def load(
    base: str,
    catalogue: Catalogue,
    secret: str,
    warmup: float,
    duration: float,
    server: subprocess.Popen[bytes],
) -> Tally:
    tally = Tally()
    stop = asyncio.Event()
    tokens = [encode_access_token(secret, "HS256", b, 3600)[0] for b in catalogue.buyers]
    tasks = [
        asyncio.create_task(buyer_loop(base, token, catalogue, tally, stop, n))
        for n, token in enumerate(tokens)
    ]
    await asyncio.sleep(warmup)
    app_pids, db_pids = worker_pids(server), await backend_pids(DB_URL)
    app_cpu, db_cpu, own_cpu = cpu_seconds(app_pids), cpu_seconds(db_pids), time.process_time()
    tally.measuring = True
    started = time.perf_counter()
    await asyncio.sleep(duration)
    tally.measuring = False
    elapsed = time.perf_counter() - started
    tally.cpu = {
        "app_cpu_s": round(cpu_seconds(app_pids) - app_cpu, 2),
        "db_cpu_s": round(cpu_seconds(db_pids) - db_cpu, 2),
        "load_generator_cpu_s": round(time.process_time() - own_cpu, 2),
    }
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
    tally.errors["_elapsed_s"] = round(elapsed, 2)  # type: ignore[assignment]
    return tally


async def check_database(url: str, catalogue: Catalogue, orders_given: int) -> dict[str, Any]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        stock = {
            str(r["id"]): r["stock_quantity"]
            for r in await conn.fetch("SELECT id, stock_quantity FROM products")
        }
        ordered = {
            str(r["product_id"]): r["q"]
            for r in await conn.fetch(
                "SELECT product_id, sum(quantity) AS q FROM order_items i JOIN orders o "
                "ON o.id = i.order_id WHERE o.status <> 'cancelled' GROUP BY product_id"
            )
        }
        orders = await conn.fetchval("SELECT count(*) FROM orders")
        events = await conn.fetchval("SELECT count(*) FROM behaviour_events")
    finally:
        await conn.close()
    mismatched = [
        p for p, start in catalogue.initial.items() if stock[p] != start - ordered.get(p, 0)
    ]
    return {
        "orders_in_database": orders,
        "orders_given_to_buyers": orders_given,
        "products_off_by_stock": len(mismatched),
        "negative_stock": sum(1 for v in stock.values() if v < 0),
        "scarce_sold": sum(ordered.get(p, 0) for p in catalogue.scarce),
        "scarce_left": sum(stock[p] for p in catalogue.scarce),
        "behaviour_events": events,
    }


async def count_statements(
    url: str, catalogue: Catalogue, secret: str
) -> tuple[dict[str, int], int]:
    """SQL statements (round trips, BEGIN and COMMIT not counted) of one cart add and of one
    checkout of a cart from one seller and from three, in-process on the benchmark database:
    the deterministic part of the figures, whatever the machine's load. Returns the counts
    and the number of orders made."""
    from sqlalchemy import event

    from haat.app import create_app
    from haat.config import Settings

    settings = Settings(
        database_url=url,
        secret_key=secret,
        haat_env="test",
        public_cache_ttl_s=0,
        log_level="WARNING",
        upload_dir=OUT / "media",
    )
    app = create_app(settings)
    seen: list[str] = []
    event.listen(
        app.state.db.write_engine.sync_engine,
        "before_cursor_execute",
        lambda _conn, _cur, statement, *_args: seen.append(statement),
    )
    token = encode_access_token(secret, "HS256", catalogue.buyers[0], 600)[0]
    counts: dict[str, int] = {}
    orders = 0
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", headers=headers
    ) as c:
        # The first 50 products are one seller's; every 50th is another seller's.
        for name, picks in (
            ("1 seller", catalogue.plenty[:3]),
            ("3 sellers", catalogue.plenty[0:150:50]),
        ):
            for product_id in picks:
                seen.clear()
                r = await c.post("/api/cart/items", json={"product_id": product_id})
                assert r.status_code == 200, r.text
                counts["cart add"] = len(seen)
            seen.clear()
            r = await c.post(
                "/api/orders/checkout",
                headers={"Idempotency-Key": uuid.uuid4().hex},
                json={"delivery_address": ADDRESS},
            )
            assert r.status_code == 201 and len(r.json()) == int(name[0]), r.text
            counts[f"checkout, {name}"] = len(seen)
            orders += len(r.json())
    await app.state.events.flush()
    await app.state.db.dispose()
    return counts, orders


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load1, load5, _ = os.getloadavg()
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load1:.1f}/{load5:.1f} at start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--port", type=int, default=18031)
    parser.add_argument(
        "--statements-only", action="store_true", help="count SQL statements, no load"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    where = machine()
    catalogue = asyncio.run(seed(DB_URL, 8, 50, args.buyers))
    secret = secrets.token_urlsafe(48)
    statements, counted_orders = asyncio.run(count_statements(DB_URL, catalogue, secret))
    print("SQL statements per request:", statements, flush=True)
    if args.statements_only:
        return
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS_URL,
        "HAAT_ENV": "production",
        "SECRET_KEY": secret,
        # Each worker serves half the buyers at once: a pool that holds them all, so that no
        # connection is opened (and its statements prepared) again under load.
        "DB_POOL_SIZE": str(args.buyers // 2 + 4),
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
        "UPLOAD_DIR": str(OUT / "media"),
    }
    cmd = [
        str(ROOT / ".venv" / "bin" / "haat"),
        "serve",
        "--workers",
        "2",
        "--port",
        str(args.port),
        "--no-access-log",
    ]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("haat serve did not come up")
        tally = asyncio.run(load(base, catalogue, secret, args.warmup, args.duration, server))
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # workers flush their event buffers on the way
        server.wait(timeout=30)
    elapsed = float(tally.errors.pop("_elapsed_s"))
    check = asyncio.run(check_database(DB_URL, catalogue, tally.orders_all + counted_orders))
    rate = tally.checkouts / elapsed
    result = {
        "date": started_at,
        "machine": where,
        "buyers": args.buyers,
        "duration_s": elapsed,
        "checkouts": tally.checkouts,
        "checkouts_per_s": round(rate, 1),
        "checkout_ms": {
            p: percentile(tally.checkout_ms, n) for p, n in (("p50", 50), ("p95", 95), ("p99", 99))
        },
        "cart_add_ms": {
            p: percentile(tally.cart_ms, n) for p, n in (("p50", 50), ("p95", 95), ("p99", 99))
        },
        "flow_ms_p50": percentile(tally.flow_ms, 50),
        "sql_statements": statements,
        "expected_conflicts": tally.conflicts,
        # CPU per checkout (3 cart adds + 1 checkout): robust to a shared machine's noise.
        "app_cpu_ms_per_checkout": round(
            1000 * tally.cpu["app_cpu_s"] / max(tally.checkouts, 1), 1
        ),
        "db_cpu_ms_per_checkout": round(1000 * tally.cpu["db_cpu_s"] / max(tally.checkouts, 1), 1),
        "load_generator_cpu_ms_per_checkout": round(
            1000 * tally.cpu["load_generator_cpu_s"] / max(tally.checkouts, 1), 1
        ),
        "cpu_s": tally.cpu,
        "errors": tally.errors,
        "database": check,
    }
    (OUT / "checkout.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    ok = check["products_off_by_stock"] == 0 and check["negative_stock"] == 0
    ok = ok and check["orders_in_database"] == check["orders_given_to_buyers"]
    c = result["checkout_ms"]
    print(
        "\n| checkouts/s | checkout p50 / p95 / p99 ms | cart add p50 / p99 ms | errors | "
        "oversold | orders stored = given |\n|---|---|---|---|---|---|"
    )
    print(
        f"| {rate:.0f} | {c['p50']} / {c['p95']} / {c['p99']} | "
        f"{result['cart_add_ms']['p50']} / {result['cart_add_ms']['p99']} | "
        f"{sum(tally.errors.values())} | {check['products_off_by_stock']} | "
        f"{'yes' if ok else 'NO'} |"
    )
    print(
        f"mean checkout {statistics.fmean(tally.checkout_ms or [0]):.1f} ms; CPU per checkout: "
        f"app {result['app_cpu_ms_per_checkout']} ms, PostgreSQL "
        f"{result['db_cpu_ms_per_checkout']} ms"
    )


if __name__ == "__main__":
    main()
