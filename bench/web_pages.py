"""Issue-4 benchmark: page weight and server time of the web UI on the demo data.

Loads `haat demo` into a fresh SQLite file, serves it with one uvicorn worker on a free
loopback port, then

1. page weight: for each page, the HTML and every stylesheet and script it links (images
   excluded), three ways: raw (``Accept-Encoding: identity``), as transferred with
   ``gzip`` only, and as transferred with ``br, gzip`` (what browsers send over HTTPS), from
   the bytes on the wire (``num_bytes_downloaded``); target <= 300 KB;
2. server time: ``--requests`` sequential GETs (after 20 warm-ups) of the home, a search and
   a product page, anonymous, timed at the client on loopback; p50 target <= 50 ms. Beside
   the wall-clock times, the server process's CPU time per request (``/proc/<pid>/stat``,
   user + system), which the machine's load inflates far less, and the load average.

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


ENCODINGS = {"raw": "identity", "gzip": "gzip", "br": "br, gzip"}


def transferred(client: httpx.Client, path: str) -> dict[str, list[int]]:
    """``{raw|gzip|br: [HTML bytes, CSS+JS bytes]}`` as sent on the wire for each
    ``Accept-Encoding`` of `ENCODINGS`."""
    out = {}
    for name, accept in ENCODINGS.items():
        headers = {"Accept-Encoding": accept}
        page = client.get(path, headers=headers)
        assert page.status_code == 200, (path, page.status_code)
        assets = 0
        for src in sorted(set(ASSET.findall(page.text))):
            asset = client.get(src, headers=headers)
            assert asset.status_code == 200, src
            assets += asset.num_bytes_downloaded
        out[name] = [page.num_bytes_downloaded, assets]
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def login(client: httpx.Client, email: str) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    r = client.post(
        "/login", data={"identifier": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert r.status_code == 303, r.text


def timings(client: httpx.Client, path: str, n: int, pid: int) -> dict[str, float]:
    for _ in range(20):
        client.get(path)
    samples = []
    cpu = cpu_seconds(pid)
    for _ in range(n):
        start = time.perf_counter()
        r = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200
    cpu_ms = (cpu_seconds(pid) - cpu) / n * 1000
    samples.sort()
    return {
        "cpu_ms_per_request": round(cpu_ms, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
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
        load_before = os.getloadavg()
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
                name: timings(anon, public[name], args.requests, server.pid)
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
    result = {"weights": weights, "speed": speed, "load_average_before": load_before}
    (OUT / "web_pages.json").write_text(json.dumps(result, indent=2))
    print(f"load average before: {load_before}, after: {os.getloadavg()}")
    print("| page | raw HTML + CSS/JS KB | gzip: HTML + CSS/JS KB | br+gzip: HTML + CSS/JS KB |")
    print("|---|---|---|---|")
    for name, w in weights.items():
        cells = [f"{(h + a) / 1000:.1f} ({h / 1000:.1f} + {a / 1000:.1f})" for h, a in w.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    print(
        "| page | p50 ms | p95 ms | max ms | server CPU ms/request | "
        f"load 1 min ({args.requests} requests) |"
    )
    print("|---|---|---|---|---|---|")
    for name, t in speed.items():
        print(
            f"| {name} | {t['p50_ms']} | {t['p95_ms']} | {t['max_ms']} | "
            f"{t['cpu_ms_per_request']} | {t['load_average_1m']} |"
        )


if __name__ == "__main__":
    main()
