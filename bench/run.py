"""Issue-2 benchmark: Haat's public catalogue against the framework ceiling, on PostgreSQL.

Seeds 100,000 approved products (plus the demo) into a fresh database, serves Haat and a bare
FastAPI app with the same `uvicorn --workers 2` settings, and runs wrk on loopback
(32 connections, 15 s) for each row twice, interleaved. Haat runs twice: as deployed (Redis,
anonymous-response cache with a 60 s TTL) and with the cache off, to show the database path.
Also times `haat demo` and reads the idle workers' RSS. Bounded: about 9 minutes. Writes
bench/out/catalogue.json and prints a Markdown table for RESULTS.md.

    .venv/bin/python bench/run.py [--products 100000] [--duration 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed import sample_ids, seed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB_URL = os.environ.get(
    "HAAT_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/haat_bench"
)
REDIS_URL = os.environ.get("HAAT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SEARCHES = [
    "silk saree",
    "blue pottery",
    "silver earrings",
    "pashmina shawl",
    "ideal diamond",
    "brass",
    "wooden toy",
    "cotton",
    "painting",
    "lacquer",
]


def serve(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--no-access-log",
            "--log-level",
            "warning",
            *(["--factory"] if app.endswith("create_app") else []),
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )


def wait_up(url: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def worker_rss_mb(proc: subprocess.Popen[bytes]) -> list[float]:
    out = subprocess.run(
        ["ps", "-o", "pid=,rss=", "--ppid", str(proc.pid)], capture_output=True, text=True
    ).stdout
    return [round(int(rss) / 1024, 1) for _pid, rss in (line.split() for line in out.splitlines())]


def wrk(url: str, duration: int, paths: list[str] | None = None) -> dict[str, float]:
    cmd = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "--timeout", "5s"]
    env = dict(os.environ)
    if paths:
        with tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt") as fh:
            fh.write("\n".join(paths))
        env["WRK_PATHS"] = fh.name
        cmd += ["-s", str(ROOT / "bench" / "rotate.lua")]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, env=env, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50_ms": _ms(out, "50%"),
        "p99_ms": _ms(out, "99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _ms(out: str, pct: str) -> float:
    value, unit = re.search(rf"{re.escape(pct)}\s+([\d.]+)(us|ms|s)", out).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    print(f"seeding {args.products} products into {DB_URL} ...")
    seeded = asyncio.run(seed(DB_URL, args.products))
    ids = sample_ids(DB_URL)
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "HAAT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
        "UPLOAD_DIR": str(OUT / "media"),
    }
    # As deployed: Redis carries cache invalidations between the two workers, so anonymous
    # responses may be kept for a minute. The second Haat has the cache off (database path).
    haat = serve(
        "haat.app:create_app", 18001, {**env, "REDIS_URL": REDIS_URL, "PUBLIC_CACHE_TTL_S": "60"}
    )
    uncached = serve("haat.app:create_app", 18003, {**env, "PUBLIC_CACHE_TTL_S": "0"})
    ceiling = serve("bench.ceiling:app", 18002, {**os.environ, "PYTHONPATH": str(ROOT)})
    servers = (haat, uncached, ceiling)
    try:
        for url in ("18001/api/health", "18003/api/health", "18002/items"):
            wait_up(f"http://127.0.0.1:{url}")
        time.sleep(2)
        idle_rss = worker_rss_mb(haat)
        searches = [f"/api/products?search={q.replace(' ', '+')}" for q in SEARCHES]
        details = [f"/api/products/{i}" for i in ids]
        rows: dict[str, tuple[str, list[str] | None]] = {
            "ceiling": ("http://127.0.0.1:18002/items", None)
        }
        for suffix, port in (("", 18001), (" (no cache)", 18003)):
            base = f"http://127.0.0.1:{port}"
            rows[f"list{suffix}"] = (f"{base}/api/products", None)
            rows[f"search{suffix}"] = (base, searches)
            rows[f"detail{suffix}"] = (base, details)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in rows}
        for _round in range(2):
            for name, (url, paths) in rows.items():
                # Steady state: 3 s of the same traffic first (pools, plans, cache entries),
                # so a run does not measure a cold start left by the rows before it.
                wrk(url, 3, paths)
                results[name].append(wrk(url, args.duration, paths))
                print(name, results[name][-1], flush=True)
        loaded_rss = worker_rss_mb(haat)
    finally:
        for proc in servers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)

    ceiling_rps = sum(r["rps"] for r in results["ceiling"]) / 2
    targets = {"list": 0.40, "search": 0.25, "detail": 0.50}
    summary = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "seed": seeded,
        "idle_worker_rss_mb": idle_rss,
        "loaded_worker_rss_mb": loaded_rss,
        "runs": results,
        "ceiling_rps": round(ceiling_rps, 1),
        "rows": {},
    }
    lines = [
        "| row | req/s (run 1, run 2) | share of ceiling | target | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        mean = sum(r["rps"] for r in runs) / 2
        share = mean / ceiling_rps
        p99 = max(r["p99_ms"] for r in runs)
        target = targets.get(name.split()[0]) if "no cache" not in name else None
        summary["rows"][name] = {"rps": round(mean, 1), "share": round(share, 3), "p99_ms": p99}
        ok = "" if target is None else (" ✅" if share >= target and p99 <= 150 else " ❌")
        lines.append(
            f"| {name} | {runs[0]['rps']:.0f}, {runs[1]['rps']:.0f} | {share:.0%}{ok} | "
            f"{'' if target is None else f'>= {target:.0%}'} | "
            f"{max(r['p50_ms'] for r in runs)} | {p99} | {sum(r['non_2xx'] for r in runs)} |"
        )
    (OUT / "catalogue.json").write_text(json.dumps(summary, indent=2))
    print("\n".join(lines))
    print(
        f"demo load on PostgreSQL: {seeded['demo_seconds']} s; idle worker RSS MB: {idle_rss};"
        f" after load: {loaded_rss}"
    )


if __name__ == "__main__":
    main()
