"""Issue-6 benchmark: the price models and the prediction API.

1. Diamonds: trains the served model (`haat.pricing.predictions.diamonds`, default settings) on the
   fixed seeded 80/20 split and reports the hold-out RMSE (USD), R^2, MAPE, the coverage of
   the 80 % interval, and the training time (wall and process CPU, 2 LightGBM threads).
2. Gold: the rolling-origin backtest of `haat.pricing.predictions.gold` over the last 10 years
   at 1, 3 and 12 months: MAPE beside the naive (last value) and drift forecasts, and the
   coverage of the 80 % interval (calibrated only on errors known at each origin).
3. The API: both models registered in a fresh SQLite registry, then sequential
   `POST /api/predictions/diamond` and `/gold` through httpx's ASGI transport (the whole app:
   middleware, validation, serialisation); p50/p95 wall time per request and process CPU per
   request.

Bounded: about 30-60 s on 2 cores. Writes bench/out/predictions.json and prints Markdown.

    .venv/bin/python bench/predictions.py [--requests 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from statistics import quantiles

import httpx

from haat.app import create_app
from haat.config import Settings
from haat.core.db import session_scope
from haat.core.migrate import upgrade
from haat.ml import service

OUT = Path(__file__).resolve().parent / "out"
STONE = {"carat": 0.9, "cut": "Premium", "color": "F", "clarity": "VS2", "depth": 61.8}


def _percentiles(values: list[float]) -> tuple[float, float]:
    cuts = quantiles(values, n=100)
    return cuts[49], cuts[94]


async def api(
    trained: dict[str, service.Trained], requests: int, tmp: str
) -> dict[str, dict[str, float]]:
    """Register ``trained`` in the migrated SQLite file under ``tmp`` and time requests."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
        model_dir=Path(tmp) / "models",
        upload_dir=Path(tmp) / "media",
        log_level="WARNING",
    )
    app = create_app(settings)
    async with session_scope(app.state.wiring.db) as session:
        for model in trained.values():
            await service.record(session, settings.model_dir, model)
    await app.state.wiring.champions.preload(trained)
    results = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for path, body in (
            ("/api/predictions/diamond", STONE),
            ("/api/predictions/gold", {"date": "2027-03-15", "weight_grams": 10}),
        ):
            for _ in range(50):  # warm-up
                assert (await client.post(path, json=body)).status_code == 200
            wall: list[float] = []
            cpu_start = time.process_time()
            for _ in range(requests):
                start = time.perf_counter()
                r = await client.post(path, json=body)
                wall.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, r.text
            cpu_ms = (time.process_time() - cpu_start) * 1000 / requests
            p50, p95 = _percentiles(wall)
            results[path] = {"p50_ms": p50, "p95_ms": p95, "cpu_ms_per_request": cpu_ms}
    await app.state.wiring.db.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    load_before = os.getloadavg()

    diamond = service.fit("diamond")
    gold = service.fit("gold")
    with tempfile.TemporaryDirectory() as tmp:
        upgrade(f"sqlite+aiosqlite:///{tmp}/bench.db")
        api_results = asyncio.run(api({"diamond": diamond, "gold": gold}, args.requests, tmp))
    load_after = os.getloadavg()

    m = diamond.result.metrics
    print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)\n")
    print("| diamonds (hold-out, 20 %) | value | target |\n|---|---|---|")
    print(f"| RMSE (USD) | {m['rmse']:.1f} | <= 520 |")
    print(f"| R^2 | {m['r2']:.4f} | >= 0.98 |")
    print(f"| MAPE | {m['mape']:.2f} % | <= 8 % |")
    print(f"| 80 % interval coverage | {100 * m['coverage']:.1f} % | 78-82 % |")
    print(f"| training, wall | {diamond.training_seconds:.1f} s | <= 60 s |")
    print(f"| training, process CPU | {diamond.cpu_seconds:.1f} s | |")
    print(f"| hold-out rows | {m['rows']} | |\n")

    g = gold.result.metrics
    print(f"gold backtest {g['backtest_from']}..{g['backtest_to']} (origins), INR/g:\n")
    print("| horizon | forecasts | model MAPE | naive MAPE | drift MAPE | 80 % coverage |")
    print("|---|---|---|---|---|---|")
    for h, row in g["horizons"].items():
        print(
            f"| {h} mo | {row['forecasts']} | {row['mape']:.2f} % | {row['naive_mape']:.2f} % "
            f"| {row['drift_mape']:.2f} % | {100 * row['coverage']:.1f} % |"
        )
    print(f"\ngold training: {gold.training_seconds:.2f} s wall\n")
    print("| endpoint | p50 ms | p95 ms | CPU ms/request | target |\n|---|---|---|---|---|")
    for path, row in api_results.items():
        target = "p50 <= 5 ms" if path.endswith("diamond") else ""
        print(
            f"| `POST {path}` | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} "
            f"| {row['cpu_ms_per_request']:.2f} | {target} |"
        )
    OUT.mkdir(exist_ok=True)
    (OUT / "predictions.json").write_text(
        json.dumps(
            {
                "diamond": {
                    **m,
                    "training_s": diamond.training_seconds,
                    "training_cpu_s": diamond.cpu_seconds,
                },
                "gold": g,
                "api": api_results,
                "load": [load_before, load_after],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
