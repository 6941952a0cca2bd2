"""Chat delivery latency: 2 app workers + Redis, 500 connected clients in 250 conversations.

    .venv/bin/python bench/chat.py [--rate 200] [--seconds 15] [--database-url ...]

Sets up a fresh PostgreSQL database (``haat_bench_chat``) with 250 buyers, 250 businesses
each with one owner, and one conversation per pair; starts ``uvicorn --workers 2`` with
``REDIS_URL`` (db 7); then runs the load generator as a separate process
(``bench/chat.py load``): 500 python-socketio clients on the websocket transport, each joined
to its conversation, sending over the socket (``send`` with an ack) at a fixed rate from
alternating sides. Latency is from the sender's emit to the other participant's ``message``
event, both clocks in the load generator. Reports p50/p95/p99/max, losses, the server
workers' and the generator's CPU seconds per message (from /proc), and the load average.
Bounded: about 45 s in all with the defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgresql+asyncpg://postgres@127.0.0.1:5432/haat_bench_chat"
REDIS_URL = "redis://127.0.0.1:6379/7"
SECRET = "bench-secret-key-" + "y" * 32
PAIRS = 250


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def workers_of(pid: int) -> list[int]:
    """uvicorn's worker processes (multiprocessing ``spawn_main`` children of ``pid``), not
    its resource tracker."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    found = []
    for child in path.read_text().split() if path.exists() else []:
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"spawn_main" in cmdline:
            found.append(int(child))
    return found


async def reset_database(url: str) -> None:
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


async def seed(url: str) -> list[dict[str, str]]:
    """250 (buyer, owner, conversation) triples with access tokens for both users."""
    from haat.businesses.models import Business, BusinessKind, BusinessRole, Membership
    from haat.chat.models import Conversation
    from haat.core.db import Database, utcnow
    from haat.core.security import encode_access_token
    from haat.identity.models import User

    db = Database(url)
    pairs = []
    async with db.session() as s:
        for i in range(PAIRS):
            buyer = User(id=uuid.uuid4(), email=f"b{i}@bench.test", full_name=f"Buyer {i}")
            owner = User(id=uuid.uuid4(), email=f"o{i}@bench.test", full_name=f"Owner {i}")
            business = Business(
                id=uuid.uuid4(),
                name=f"Shop {i}",
                slug=f"shop-{i}",
                kind=BusinessKind.ARTISAN_WORKSHOP,
                city="Srinagar",
                country="IN",
            )
            s.add_all([buyer, owner, business])
            await s.flush()
            conversation = Conversation(
                id=uuid.uuid4(),
                buyer_id=buyer.id,
                business_id=business.id,
                last_seq=0,
                last_message_at=utcnow(),
            )
            s.add_all(
                [
                    Membership(business_id=business.id, user_id=owner.id, role=BusinessRole.ADMIN),
                    conversation,
                ]
            )
            pairs.append(
                {
                    "conversation": str(conversation.id),
                    "buyer": encode_access_token(SECRET, "HS256", buyer.id, 3600)[0],
                    "owner": encode_access_token(SECRET, "HS256", owner.id, 3600)[0],
                }
            )
        await s.commit()
    await db.dispose()
    return pairs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def load(
    base: str, pairs: list[dict[str, str]], rate: float, seconds: float, warmup: float
) -> dict[str, object]:
    """The load generator (a separate process): connect, join, send ``warmup`` seconds of
    messages that are not measured (fresh workers compile statements and fill their
    connection pools), then send and measure."""
    import socketio

    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    acks: list[float] = []
    errors: list[str] = []
    clients: list[tuple[socketio.AsyncClient, str]] = []

    def on_message(data: dict[str, object]) -> None:
        started = sent_at.pop(str(data["text"]), None)
        if started is not None:
            latencies.append((time.perf_counter() - started) * 1000)

    async def connect(token: str, conversation: str) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)
        client.on("message", on_message)
        await client.connect(base, auth={"token": token}, transports=["websocket"], wait_timeout=20)
        ack = await client.call("join", {"conversation_id": conversation}, timeout=20)
        assert ack["ok"], ack
        return client

    started = time.perf_counter()
    for chunk in range(0, len(pairs), 25):
        batch = pairs[chunk : chunk + 25]
        made = await asyncio.gather(
            *(connect(p[side], p["conversation"]) for p in batch for side in ("buyer", "owner"))
        )
        for index, client in enumerate(made):
            clients.append((client, batch[index // 2]["conversation"]))
    connect_s = time.perf_counter() - started
    pending: set[asyncio.Task[None]] = set()

    async def send(client: socketio.AsyncClient, conversation: str, text: str) -> None:
        t0 = time.perf_counter()
        sent_at[text] = t0
        try:
            ack = await client.call(
                "send", {"conversation_id": conversation, "text": text}, timeout=10
            )
        except Exception as exc:  # a timeout or a dropped connection counts as an error
            errors.append(repr(exc))
            return
        acks.append((time.perf_counter() - t0) * 1000)
        if not ack.get("ok"):
            errors.append(str(ack))

    async def offer(count: int, prefix: str) -> float:
        """Send ``count`` messages at ``rate`` a second, wait for them (10 s at most);
        returns the seconds the sending took."""
        t_start = time.perf_counter()
        for i in range(count):
            delay = t_start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            client, conversation = clients[random.randrange(len(clients))]
            text = f"{prefix}{i} Is this shawl pashmina?"
            task = asyncio.create_task(send(client, conversation, text))
            pending.add(task)
            task.add_done_callback(pending.discard)
        send_s = time.perf_counter() - t_start
        deadline = time.perf_counter() + 10
        while (pending or sent_at) and time.perf_counter() < deadline:  # noqa: ASYNC110  (a bounded drain)
            await asyncio.sleep(0.05)
        return send_s

    random.seed(7)
    if warmup > 0:
        await offer(int(rate * warmup), "w")
        sent_at.clear()
        latencies.clear()
        acks.clear()
        errors.clear()
    # Tell the parent we are connected and warm, then wait for it to start measuring CPU.
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    cpu_start = time.process_time()
    total = int(rate * seconds)
    send_s = await offer(total, "m")
    disconnected = sum(1 for c, _ in clients if not c.connected)
    await asyncio.gather(*(c.disconnect() for c, _ in clients), return_exceptions=True)
    return {
        "clients": len(clients),
        "disconnected_during_run": disconnected,
        "connect_s": round(connect_s, 1),
        "messages": total,
        "offered_rate": rate,
        "achieved_rate": round(total / send_s, 1),
        "delivered": len(latencies),
        "lost": len(sent_at),
        "errors": errors[:3],
        "error_count": len(errors),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "ack_p99_ms": round(percentile(acks, 99), 1) if acks else None,
        "generator_cpu_s": round(time.process_time() - cpu_start, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds sent, not measured")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", help="run one worker under cProfile, writing this file")
    args = parser.parse_args()

    from haat.core.migrate import upgrade

    asyncio.run(reset_database(args.database_url))
    upgrade(args.database_url)
    pairs = asyncio.run(seed(args.database_url))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as pairs_file:
        json.dump(pairs, pairs_file)

    sys.path.insert(0, str(ROOT))
    from tests.live import free_port

    port = free_port()
    env = {
        **os.environ,
        "HAAT_ENV": "test",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": SECRET,
        "LOG_LEVEL": "WARNING",
        "CHAT_SEND_LIMIT": "100000/minute",
        "PUBLIC_CACHE_TTL_S": "0",
    }
    prefix = ["-m", "cProfile", "-o", args.profile] if args.profile else []
    server = subprocess.Popen(
        [
            sys.executable,
            *prefix,
            "-m",
            "uvicorn",
            "haat.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--no-access-log",
            "--log-level",
            "warning",
            "--ws-per-message-deflate",
            "false",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        time.sleep(2)  # both workers up and Lingua's models loaded
        workers = workers_of(server.pid) if args.workers > 1 else [server.pid]
        generator = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "load",
                base,
                pairs_file.name,
                str(args.rate),
                str(args.seconds),
                str(args.warmup),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert generator.stdin is not None and generator.stdout is not None
        if generator.stdout.readline().strip() != "READY":
            raise SystemExit("the load generator failed to connect")
        before = {pid: cpu_seconds(pid) for pid in workers}
        load_before = os.getloadavg()
        generator.stdin.write("GO\n")
        generator.stdin.flush()
        out, _ = generator.communicate(timeout=180)
        if generator.returncode != 0:
            raise SystemExit("the load generator failed")
        result = json.loads(out.strip().splitlines()[-1])
        server_cpu = sum(cpu_seconds(pid) - before[pid] for pid in workers)
        generator_cpu = float(result["generator_cpu_s"])
        messages = max(1, int(result["messages"]))
        result.update(
            workers=len(workers),
            server_cpu_s=round(server_cpu, 2),
            server_cpu_ms_per_message=round(server_cpu / messages * 1000, 2),
            generator_cpu_ms_per_message=round(generator_cpu / messages * 1000, 2),
            loadavg_before=[round(x, 2) for x in load_before],
            loadavg_after=[round(x, 2) for x in os.getloadavg()],
        )
        print(json.dumps(result, indent=2))
    finally:
        server.send_signal(signal.SIGINT if args.profile else signal.SIGTERM)
        server.wait(timeout=20)
        Path(pairs_file.name).unlink(missing_ok=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "load":
        _, _, url, file, rate_s, seconds_s, warmup_s = sys.argv
        pairs = json.loads(Path(file).read_text())
        result = asyncio.run(load(url, pairs, float(rate_s), float(seconds_s), float(warmup_s)))
        print(json.dumps(result))
    else:
        main()
