"""Issue-4 benchmark: page weight and server time of the web UI on the demo data.

Loads `haat demo` into a fresh SQLite file, serves it with one uvicorn worker on a free
loopback port, then

1. page weight: for each page, what a browser transfers with ``Accept-Encoding: gzip`` for
   the HTML and every stylesheet and script it links (images excluded), from the bytes on
   the wire (``num_bytes_downloaded``); target <= 300 KB;
2. server time: ``--requests`` sequential GETs (after 20 warm-ups) of the home, a search and
   a product page, anonymous, timed at the client on loopback; p50 target <= 50 ms.

Bounded: about a minute. Writes bench/out/web_pages.json and prints Markdown tables.

    .venv/bin/python bench/web_pages.py [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href)="([^"]+)"')
PASSWORD = "haat-demo-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def transferred(client: httpx.Client, path: str) -> tuple[int, int, int]:
    """(HTML bytes, CSS+JS bytes, status) as sent on the wire, gzip where offered."""
    page = client.get(path)
    html = page.num_bytes_downloaded
    assets = 0
    for src in sorted(set(ASSET.findall(page.text))):
        asset = client.get(src)
        assert asset.status_code == 200, src
        assets += asset.num_bytes_downloaded
    return html, assets, page.status_code


def login(client: httpx.Client, email: str) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    r = client.post(
        "/login", data={"identifier": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert r.status_code == 303, r.text


def timings(client: httpx.Client, path: str, n: int) -> dict[str, float]:
    for _ in range(20):
        client.get(path)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        r = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(0.95 * len(samples)) - 1], 1),
        "max_ms": round(samples[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="haat-web-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{work / 'demo.db'}",
        "UPLOAD_DIR": str(work / "media"),
        "LOG_LEVEL": "WARNING",
        "HAAT_ENV": "dev",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([BIN / "haat", "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([BIN / "haat", "demo"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [
            BIN / "uvicorn",
            "haat.app:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        headers = {"Accept-Encoding": "gzip"}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as anon:
            product = anon.get("/api/products?search=pashmina&per_page=1").json()["items"][0]
            product_path = f"/products/{product['id']}"
            public = {
                "home": "/",
                "search": "/search?q=pottery",
                "product": product_path,
                "login": "/login",
            }
            weights = {name: transferred(anon, path) for name, path in public.items()}
            speed = {
                name: timings(anon, public[name], args.requests)
                for name in ("home", "search", "product")
            }
        with httpx.Client(base_url=base, headers=headers, timeout=30) as admin:
            login(admin, "admin@haat.example")
            for name, path in {
                "admin queue": "/admin/queue",
                "admin figures": "/admin/figures",
                "admin users": "/admin/users",
                "cart": "/cart",
            }.items():
                weights[name] = transferred(admin, path)
        with httpx.Client(base_url=base, headers=headers, timeout=30) as seller:
            login(seller, "jaipur@haat.example")
            seller.get("/seller")
            mine = re.search(
                r"/seller/([0-9a-f-]{36})/", seller.get("/seller", follow_redirects=True).text
            )
            assert mine
            bid = mine.group(1)
            for name, path in {
                "seller products": f"/seller/{bid}/products",
                "seller new product": f"/seller/{bid}/products/new",
                "seller khata": f"/seller/{bid}/khata",
            }.items():
                weights[name] = transferred(seller, path)
    finally:
        server.terminate()
        server.wait(timeout=10)
    OUT.mkdir(exist_ok=True)
    (OUT / "web_pages.json").write_text(json.dumps({"weights": weights, "speed": speed}, indent=2))
    print("| page | HTML bytes | CSS+JS bytes | total KB | target |")
    print("|---|---|---|---|---|")
    for name, (html, assets, _status) in weights.items():
        print(f"| {name} | {html:,} | {assets:,} | {(html + assets) / 1000:.1f} | <= 300 |")
    print()
    print(f"| page | p50 ms | p95 ms | max ms | target ({args.requests} requests) |")
    print("|---|---|---|---|---|")
    for name, s in speed.items():
        print(f"| {name} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} | p50 <= 50 ms |")


if __name__ == "__main__":
    main()
