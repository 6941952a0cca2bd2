"""Issue-3 benchmark: checkouts of 3-line carts on PostgreSQL with `haat serve --workers 2`.

Resets its own database (``haat_bench_checkout``), migrates it and loads 8 sellers with 50
products each (plenty of stock) plus 10 scarce products of 20 units, and one buyer per cart
to check out (``--carts``, default 24,000). Every cart is filled before the run, directly in
the database: 3 lines from 3 different sellers at the product's price, one cart in ten with a
scarce product. Only ``POST /api/orders/checkout`` is timed.

Serves Haat as deployed (``HAAT_ENV=production``, a random ``SECRET_KEY``, ``REDIS_URL``) with
``haat serve --workers 2 --no-access-log`` and loads it from a separate process: wrk
(``bench/checkout.lua``) with 32 connections, i.e. 32 concurrent buyers, each request one
buyer's checkout with its own Idempotency-Key. First ``--warmup`` seconds unmeasured, then
``--duration`` seconds measured, on separate carts; a buyer whose scarce product sold out gets
the expected 409 naming the line (counted apart).

CPU time per checkout, the figure that does not depend on how loaded the shared machine is,
is read with psutil over the measured run for the two workers, for the PostgreSQL backends
serving the benchmark's database, and (rusage) for wrk.

Afterwards it checks the database: every product's stock equals its initial stock minus the
quantities ordered (no oversell, none below zero), the orders stored equal the orders the
buyers were given, and no cart that was checked out still has lines. Prints a Markdown row
for RESULTS.md and writes bench/out/checkout.json.

Needs wrk (Debian package) and the ``bench`` extra (psutil, py-spy).

    .venv/bin/python bench/checkout.py [--duration 20] [--warmup 5] [--connections 32]
    .venv/bin/python bench/checkout.py --statements-only   # SQL statements per request
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import secrets
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed import reset_database  # noqa: E402

from haat.businesses.models import Business, BusinessKind, BusinessRole, Membership
from haat.catalog.models import Product, ProductStatus
from haat.commerce.models import CartLine
from haat.core.db import Database, utcnow
from haat.core.migrate import upgrade
from haat.core.security import encode_access_token
from haat.identity.models import PlatformRole, User

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB_URL = os.environ.get(
    "HAAT_BENCH_CHECKOUT_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/haat_bench_checkout"
)
REDIS_URL = os.environ.get("HAAT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
PLENTY, SCARCE = 1_000_000, 20
SELLERS, PER_SELLER = 8, 50
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
    by_seller: list[list[str]]  # plenty products per seller
    scarce: list[str]
    initial: dict[str, int]
    prices: dict[str, tuple[int, str]]
    carts: list[uuid.UUID]  # one buyer per filled cart


async def seed(url: str, carts: int) -> Catalogue:
    """Reset the database, load the sellers and their products, and ``carts`` buyers each
    with a filled 3-line cart (3 sellers; one in ten with a scarce product first)."""
    await reset_database(url)
    await asyncio.to_thread(upgrade, url)
    db = Database(url, null_pool=True)
    rng = random.Random(3)
    catalogue = Catalogue([], [], {}, {}, [])
    try:
        async with db.session() as s:
            for n in range(SELLERS):
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
                catalogue.by_seller.append([])
                count = PER_SELLER + (2 if n < 5 else 0)  # the first 5 shops: 2 scarce each
                for i in range(count):
                    is_scarce = i >= PER_SELLER
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
                    pid = str(product.id)
                    (catalogue.scarce if is_scarce else catalogue.by_seller[n]).append(pid)
                    catalogue.initial[pid] = product.stock_quantity
                    catalogue.prices[pid] = (product.price_minor, product.currency)
            users = [
                {"id": uuid.uuid4(), "email": f"buyer{n}@bench.example", "full_name": f"Buyer {n}"}
                for n in range(carts)
            ]
            await s.execute(insert(User), users)
            lines = []
            for user in users:
                sellers = rng.sample(range(SELLERS), 3)
                picks = [rng.choice(catalogue.by_seller[n]) for n in sellers]
                if rng.random() < 0.1:
                    picks[0] = rng.choice(catalogue.scarce)
                for pid in picks:
                    price, currency = catalogue.prices[pid]
                    lines.append(
                        {
                            "user_id": user["id"],
                            "product_id": uuid.UUID(pid),
                            "quantity": 1,
                            "seen_price_minor": price,
                            "seen_currency": currency,
                        }
                    )
            await s.execute(insert(CartLine), lines)
            await s.commit()
            catalogue.carts = [u["id"] for u in users]
    finally:
        await db.dispose()
    return catalogue


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User + system CPU time of the given processes (those still alive), in seconds."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def alive(pids: list[int]) -> list[psutil.Process]:
    """The processes of ``pids`` that still exist (a backend may close as it is listed)."""
    processes = []
    for pid in pids:
        try:
            processes.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            continue
    return processes


def children_cpu() -> float:
    """CPU seconds of this process's finished children (wrk, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def write_carts(path: Path, buyers: list[uuid.UUID], secret: str) -> None:
    """One ``token key`` line per cart: the buyer's access token and an Idempotency-Key."""
    with path.open("w") as f:
        for buyer in buyers:
            token = encode_access_token(secret, "HS256", buyer, 3600)[0]
            f.write(f"{token} bench-{buyer.hex}\n")


def run_wrk(base: str, carts: Path, seconds: float, connections: int) -> dict[str, Any]:
    """Run wrk (2 threads) for ``seconds``; its JSON result plus its CPU seconds and the
    order numbers the buyers were given (``given``)."""
    given = carts.with_suffix(".given")
    env = {**os.environ, "WRK_CARTS": str(carts), "WRK_THREADS": "2", "WRK_GIVEN": str(given)}
    before = children_cpu()
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "checkout.lua"),
            base,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRK_RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("WRK_RESULT "))
    result["cpu_s"] = children_cpu() - before
    result["given"] = set()
    for thread in range(2):
        part = Path(f"{given}.{thread}")
        result["given"] |= set(part.read_text().split())
        part.unlink()
    return result


def profile(pid: int, seconds: float) -> subprocess.Popen[bytes]:
    """py-spy sampling ``pid`` for ``seconds`` while it holds the GIL (running, not waiting
    for the database or the network), 100 times a second, as collapsed stacks."""
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "py-spy"),
            "record",
            "--gil",
            "--format",
            "raw",
            "--rate",
            "100",
            "--duration",
            str(max(1, round(seconds))),
            "--pid",
            str(pid),
            "--output",
            str(OUT / "checkout-profile.txt"),
        ],
        stdout=subprocess.DEVNULL,
    )


async def check_database(url: str, catalogue: Catalogue, given: set[str]) -> dict[str, Any]:
    """Stock accounting, orders stored against orders given (``given``: their numbers) and
    the carts left, read from the database after the run."""
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
        stored = {
            r["number"]: r["buyer_id"]
            for r in await conn.fetch("SELECT number, buyer_id FROM orders")
        }
        items = await conn.fetchval("SELECT count(*) FROM order_items")
        history = await conn.fetchval("SELECT count(*) FROM order_status_changes")
        events = await conn.fetchval(
            "SELECT count(*) FROM behaviour_events WHERE kind = 'checked_out'"
        )
        # A buyer with orders has an empty cart; one without has the 3 lines seeded.
        leftover = await conn.fetchval(
            "SELECT count(*) FROM cart_lines l WHERE EXISTS "
            "(SELECT 1 FROM orders o WHERE o.buyer_id = l.user_id)"
        )
        # A buyer without orders (not served, or refused) still has the 3 lines seeded.
        carts_changed = await conn.fetchval(
            "SELECT count(*) FROM users u WHERE u.email LIKE 'buyer%' AND NOT EXISTS "
            "(SELECT 1 FROM orders o WHERE o.buyer_id = u.id) AND "
            "(SELECT count(*) FROM cart_lines l WHERE l.user_id = u.id) <> 3"
        )
    finally:
        await conn.close()
    mismatched = [
        p for p, start in catalogue.initial.items() if stock[p] != start - ordered.get(p, 0)
    ]
    # Orders stored but not given: checkouts in flight when wrk stopped (it drops the
    # answers), at most one per connection per run, and never part of a given checkout.
    unanswered = {stored[n] for n in stored.keys() - given}
    answered = {stored[n] for n in given & stored.keys()}
    return {
        "orders_in_database": len(stored),
        "orders_given_to_buyers": len(given),
        "given_but_not_stored": len(given - stored.keys()),
        "stored_unanswered_checkouts": len(unanswered),
        "unanswered_mixed_with_answered": len(unanswered & answered),
        "order_items": items,
        "status_history_rows": history,
        "checkout_events": events,
        "products_off_by_stock": len(mismatched),
        "negative_stock": sum(1 for v in stock.values() if v < 0),
        "scarce_sold": sum(ordered.get(p, 0) for p in catalogue.scarce),
        "scarce_left": sum(stock[p] for p in catalogue.scarce),
        "cart_lines_left_after_checkout": leftover,
        "carts_without_orders_changed": carts_changed,
    }


async def count_statements(
    url: str, catalogue: Catalogue, secret: str
) -> tuple[dict[str, int], set[str]]:
    """SQL statements (round trips, BEGIN and COMMIT not counted) of one checkout of a seeded
    3-seller cart, of its replay, and of one cart add, in-process on the benchmark database:
    the deterministic part of the figures, whatever the machine's load. Uses the last two
    seeded carts. Returns the counts and the numbers of the orders made."""
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
        app.state.wiring.db.write_engine.sync_engine,
        "before_cursor_execute",
        lambda _conn, _cur, statement, *_args: seen.append(statement),
    )
    counts: dict[str, int] = {}
    orders: set[str] = set()
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app):
        for buyer in catalogue.carts[-2:]:
            token = encode_access_token(secret, "HS256", buyer, 600)[0]
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"probe-{buyer.hex}"}
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers
            ) as c:
                seen.clear()
                r = await c.post("/api/orders/checkout", json={"delivery_address": ADDRESS})
                if r.status_code != 201:  # a scarce line sold out: not this probe's subject
                    continue
                counts["checkout, 3 sellers"] = len(seen)
                orders |= {o["number"] for o in r.json()}
                seen.clear()
                r = await c.post("/api/orders/checkout", json={"delivery_address": ADDRESS})
                assert r.status_code == 200, r.text
                counts["replay of that checkout"] = len(seen)
                seen.clear()
                r = await c.post("/api/cart/items", json={"product_id": catalogue.by_seller[0][0]})
                assert r.status_code == 200, r.text
                counts["cart add"] = len(seen)
                r = await c.delete(f"/api/cart/items/{catalogue.by_seller[0][0]}")
                assert r.status_code == 200, r.text
                break
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
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def serve(port: int, secret: str, pool: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS_URL,
        "HAAT_ENV": "production",
        "SECRET_KEY": secret,
        # Each worker serves about half the connections at once: a pool that holds them all,
        # so that no connection is opened (and its statements prepared) again under load.
        "DB_POOL_SIZE": str(pool),
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
        str(port),
        "--no-access-log",
    ]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError("haat serve did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--carts", type=int, default=24_000, help="carts filled before the run")
    parser.add_argument("--port", type=int, default=18031)
    parser.add_argument(
        "--statements-only", action="store_true", help="count SQL statements, no load"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy one worker during the measured run (bench/out/checkout-profile.txt)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    started_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_at_start = load_average()
    catalogue = asyncio.run(seed(DB_URL, args.carts))
    secret = secrets.token_urlsafe(48)
    statements, probe = asyncio.run(count_statements(DB_URL, catalogue, secret))
    print("SQL statements per request:", statements, flush=True)
    if args.statements_only:
        return
    # Warm-up and measured run on separate carts; a fifth of them for the warm-up.
    usable = catalogue.carts[:-2]
    split = len(usable) * args.warmup // (args.warmup + args.duration)
    warm_file, run_file = OUT / "checkout-warmup.carts", OUT / "checkout-run.carts"
    write_carts(warm_file, usable[: int(split)], secret)
    write_carts(run_file, usable[int(split) :], secret)

    server = serve(args.port, secret, args.connections // 2 + 4)
    base = f"http://127.0.0.1:{args.port}"
    try:
        workers = [  # the uvicorn workers, not multiprocessing's resource tracker
            w
            for w in psutil.Process(server.pid).children(recursive=True)
            if "spawn_main" in " ".join(w.cmdline())
        ]
        warm = run_wrk(base, warm_file, args.warmup, args.connections)
        backends = alive(asyncio.run(backend_pids(DB_URL)))
        load_before = load_average()
        app_cpu, db_cpu = cpu_seconds(workers), cpu_seconds(backends)
        spy = profile(workers[0].pid, args.duration) if args.profile else None
        run = run_wrk(base, run_file, args.duration, args.connections)
        if spy is not None:
            spy.wait(timeout=60)
        app_cpu, db_cpu = cpu_seconds(workers) - app_cpu, cpu_seconds(backends) - db_cpu
        load_after = load_average()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # workers flush their event buffers on the way
        server.wait(timeout=30)
    check = asyncio.run(check_database(DB_URL, catalogue, warm["given"] | run["given"] | probe))

    elapsed = run["duration_us"] / 1e6
    created = run["statuses"].get("201", 0)
    conflicts = run["statuses"].get("409", 0)
    per = max(created, 1)
    result = {
        "date": started_at,
        "machine": machine(),
        "load_average": {"start": load_at_start, "before_run": load_before, "after": load_after},
        "connections": args.connections,
        "duration_s": round(elapsed, 2),
        "requests": run["requests"],
        "checkouts": created,
        "checkouts_per_s": round(created / elapsed, 1),
        "expected_conflicts_409": conflicts,
        "statuses": run["statuses"],
        "carts_exhausted": run["exhausted"],
        "socket_errors": run["socket_errors"],
        "latency_ms": {k: run[f"{k}_ms"] for k in ("p50", "p90", "p99", "max", "mean")},
        "sql_statements": statements,
        # Per successful checkout; the 409s' CPU is charged to them too.
        "cpu_ms_per_checkout": {
            "app": round(1000 * app_cpu / per, 2),
            "postgresql": round(1000 * db_cpu / per, 2),
            "load_generator": round(1000 * run["cpu_s"] / per, 2),
            "total": round(1000 * (app_cpu + db_cpu + run["cpu_s"]) / per, 2),
        },
        "cpu_s": {
            "app": round(app_cpu, 2),
            "postgresql": round(db_cpu, 2),
            "load_generator": round(run["cpu_s"], 2),
        },
        "warmup": {k: warm[k] for k in ("statuses", "requests", "orders", "p99_ms")},
        "database": check,
    }
    (OUT / "checkout.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    ok = check["products_off_by_stock"] == 0 and check["negative_stock"] == 0
    ok = ok and check["given_but_not_stored"] == 0
    ok = ok and check["unanswered_mixed_with_answered"] == 0
    ok = ok and check["stored_unanswered_checkouts"] <= 2 * args.connections
    ok = ok and check["cart_lines_left_after_checkout"] == 0
    ok = ok and check["carts_without_orders_changed"] == 0
    lat, cpu = result["latency_ms"], result["cpu_ms_per_checkout"]
    others = run["requests"] - created - conflicts
    print(
        "\n| load avg (before / after) | checkouts/s | p50 / p90 / p99 ms | 409 sold out | "
        "other errors | oversold, stock < 0 | orders and carts check | "
        "CPU ms/checkout app / PG / wrk = total |\n|---|---|---|---|---|---|---|---|"
    )
    print(
        f"| {load_before} / {load_after} | {result['checkouts_per_s']:.0f} | "
        f"{lat['p50']:.1f} / {lat['p90']:.1f} / {lat['p99']:.1f} | {conflicts} | {others} | "
        f"{check['products_off_by_stock']}, {check['negative_stock']} | "
        f"{'ok' if ok else 'FAILED'} | {cpu['app']} / {cpu['postgresql']} / "
        f"{cpu['load_generator']} = {cpu['total']} |"
    )


if __name__ == "__main__":
    main()
