"""`haat quality regrade`: grades photos never graded or graded by another model version,
keeps craftsmanship notes, reports missing files, and does nothing the second time."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
from sqlalchemy import delete, select

from haat.catalog.models import ProductStatus
from haat.config import Settings
from haat.quality.grading import MODEL_VERSION
from haat.quality.models import NoteStatus, PhotoGrade
from tests.conftest import Factory
from tests.quality.photos import degraded, upload


async def regrade(settings: Settings, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "UPLOAD_DIR": str(settings.upload_dir),
        "COLUMNS": "120",
    }
    command = [sys.executable, "-c", "from haat.cli import app; app()", "quality", "regrade", *args]
    result = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


async def test_regrade_grades_what_is_outdated_and_keeps_notes(
    client: httpx.AsyncClient, factory: Factory, settings: Settings
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    for data in (
        degraded("motorcycle", "blur", 0),
        degraded("coffee", "blur", 4),
        degraded("coffee", "blur", 0),
    ):
        assert (await upload(client, owner.headers, product.id, data)).status_code == 201
    images = (await client.get(f"/api/products/{product.id}", headers=owner.headers)).json()[
        "images"
    ]
    outdated, ungraded, lost = (uuid.UUID(i["id"]) for i in images)
    async with factory.session() as s:
        old = await s.get(PhotoGrade, outdated)
        assert old is not None
        old.model_version, old.score = "photo-quality-0", 0.5
        old.note_status, old.note = NoteStatus.SUCCEEDED, "Even glaze."
        await s.execute(delete(PhotoGrade).where(PhotoGrade.image_id.in_([ungraded, lost])))
        await s.commit()
    Path(settings.upload_dir, images[2]["url"].removeprefix("/media/")).unlink()

    out = await regrade(settings)
    assert f"graded 2 photo(s) with {MODEL_VERSION}" in out
    assert "│ A      │      1 │" in out and "│ retake │      1 │" in out
    assert "1 photo file(s) missing from storage" in out and str(lost) in out
    async with factory.session() as s:
        rows = {r.image_id: r for r in await s.scalars(select(PhotoGrade))}
    assert set(rows) == {outdated, ungraded}
    assert rows[outdated].model_version == MODEL_VERSION and rows[outdated].score > 0.8
    assert rows[outdated].note == "Even glaze." and rows[outdated].note_status == "succeeded"
    assert rows[ungraded].grade == "retake"

    again = await regrade(settings)
    assert f"graded 0 photo(s) with {MODEL_VERSION}" in again
    assert "│ A      │      0 │" in again and "│ retake │      0 │" in again
    everything = await regrade(settings, "--all", "--batch", "1")
    assert "│ A      │      1 │" in everything and "│ retake │      1 │" in everything
