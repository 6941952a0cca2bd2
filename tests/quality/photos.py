"""Real photographs and their degradations for the quality tests (from `bench/photo_set.py`),
and uploads of them through the API."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from photo_set import DEGRADATIONS, PHOTOS, Degradation, Rgb, original  # noqa: E402

__all__ = ["DEGRADATIONS", "PHOTOS", "Degradation", "degraded", "load", "original", "upload"]


@cache
def load(name: str) -> Rgb:
    """The named photo of `bench/photo_set.py` as an sRGB array."""
    return next(p for p in PHOTOS if p.name == name).load()


@cache
def degraded(name: str, kind: str, severity: int) -> bytes:
    """The upload of photo ``name`` with degradation ``kind`` at ``severity`` 1-4 (0: none)."""
    if severity == 0:
        return original(load(name))
    degradation = next(d for d in DEGRADATIONS if d.kind == kind)
    return degradation.apply(load(name), degradation.severities[severity - 1])


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], product_id: object, data: bytes
) -> httpx.Response:
    return await client.post(
        f"/api/products/{product_id}/images",
        headers=headers,
        files={"file": ("photo.png", data, "image/png")},
    )
