"""Health checks: named async probes; `/api/health` runs them all."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from haat.core.db import Database

# A check raises on failure; it may return details to show beside its status.
Check = Callable[[], Awaitable[dict[str, Any] | None]]


class CheckResult(BaseModel):
    status: str  # "ok" | "fail"
    latency_ms: float | None = None
    error: str | None = None
    detail: dict[str, Any] | None = None


class HealthReport(BaseModel):
    status: str  # "ok" | "fail"
    version: str
    checks: dict[str, CheckResult]


@dataclass
class HealthRegistry:
    """Checks by name; each raises on failure and must finish within ``timeout_s``."""

    timeout_s: float = 2.0
    checks: dict[str, Check] = field(default_factory=dict)

    def add(self, name: str, check: Check) -> None:
        self.checks[name] = check

    def remove(self, name: str) -> None:
        self.checks.pop(name, None)

    async def run(self, version: str) -> HealthReport:
        """Run every check concurrently, each bounded by ``timeout_s``."""

        async def one(check: Check) -> CheckResult:
            start = time.perf_counter()
            try:
                detail = await asyncio.wait_for(check(), self.timeout_s)
            except Exception as exc:  # a failing dependency is a result here, not an error
                return CheckResult(status="fail", error=f"{type(exc).__name__}: {exc}"[:300])
            return CheckResult(
                status="ok",
                latency_ms=round((time.perf_counter() - start) * 1000, 2),
                detail=detail,
            )

        names = list(self.checks)
        results = await asyncio.gather(*(one(self.checks[n]) for n in names))
        ok = all(r.status == "ok" for r in results)
        return HealthReport(
            status="ok" if ok else "fail",
            version=version,
            checks=dict(zip(names, results, strict=True)),
        )


def database_check(db: Database) -> Check:
    async def check() -> None:
        await db.ping()

    return check
