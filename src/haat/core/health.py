"""Health checks: named async probes; `/api/health` runs them all."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy import text

from haat.core.db import Database

Check = Callable[[], Awaitable[None]]


@dataclass
class HealthRegistry:
    """Checks by name; each raises on failure and must finish within ``timeout_s``."""

    timeout_s: float = 2.0
    checks: dict[str, Check] = field(default_factory=dict)

    def add(self, name: str, check: Check) -> None:
        self.checks[name] = check

    async def run(self) -> tuple[bool, dict[str, dict[str, object]]]:
        """Run every check concurrently; returns (all ok, per-check status and latency ms)."""

        async def one(check: Check) -> dict[str, object]:
            start = time.perf_counter()
            try:
                await asyncio.wait_for(check(), self.timeout_s)
            except Exception as exc:  # a failing dependency is a result here, not an error
                return {"status": "fail", "error": f"{type(exc).__name__}: {exc}"[:300]}
            return {"status": "ok", "latency_ms": round((time.perf_counter() - start) * 1000, 2)}

        names = list(self.checks)
        results = await asyncio.gather(*(one(self.checks[n]) for n in names))
        report = dict(zip(names, results, strict=True))
        return all(r["status"] == "ok" for r in results), report


def database_check(db: Database) -> Check:
    async def check() -> None:
        async with db.read_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    return check
