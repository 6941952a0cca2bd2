"""`POST /api/predictions/retrain` (platform admins; a background job) and `GET .../status`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from haat.app import create_app
from haat.businesses.models import BusinessRole
from haat.config import Settings
from haat.core.jobs import Job, JobStatus
from haat.identity.models import PlatformRole
from tests.conftest import Factory
from tests.ml import fixtures

champions = fixtures.champions
trained = fixtures.trained


@pytest.fixture
async def jobs_app(settings: Settings) -> AsyncIterator[Any]:
    """An app whose in-process job worker runs."""
    app = create_app(settings)
    app.state.wiring.jobs.start()
    yield app
    app.state.wiring.jobs.stop()
    await app.state.wiring.db.dispose()


async def test_retrain_needs_a_platform_admin(client: httpx.AsyncClient, factory: Factory) -> None:
    r = await client.post("/api/predictions/retrain", json={"model": "all"})
    assert r.status_code == 401
    buyer = await factory.user("buyer")
    seller = await factory.user("seller", role=PlatformRole.SELLER)
    business = await factory.business(seller)
    approver = await factory.member(business, BusinessRole.ADMIN)
    for caller in (buyer, seller, approver):
        r = await client.post(
            "/api/predictions/retrain", json={"model": "gold"}, headers=caller.headers
        )
        assert r.status_code == 403, r.text
    async with factory.session() as s:
        assert (await s.scalars(select(Job))).all() == []  # nothing was queued


async def test_retrain_validates_the_model(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.user("admin", role=PlatformRole.ADMIN)
    for body in ({}, {"model": "silver"}):
        r = await client.post("/api/predictions/retrain", json=body, headers=admin.headers)
        assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "model"]


async def test_a_second_request_returns_the_queued_job(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    # The shared test app runs no worker: the first job stays queued.
    admin = await factory.user("admin", role=PlatformRole.ADMIN)
    first = await client.post(
        "/api/predictions/retrain", json={"model": "all"}, headers=admin.headers
    )
    again = await client.post(
        "/api/predictions/retrain", json={"model": "all"}, headers=admin.headers
    )
    other = await client.post(
        "/api/predictions/retrain", json={"model": "gold"}, headers=admin.headers
    )
    assert first.status_code == again.status_code == other.status_code == 202
    assert again.json()["job_id"] == first.json()["job_id"]
    assert other.json()["job_id"] != first.json()["job_id"]
    assert first.json()["models"] == ["gold", "diamond"]


async def test_an_admin_retrains_in_the_background(jobs_app: Any, factory: Factory) -> None:
    admin = await factory.user("admin", role=PlatformRole.ADMIN)
    transport = httpx.ASGITransport(app=jobs_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        r = await client.post(
            "/api/predictions/retrain", json={"model": "gold"}, headers=admin.headers
        )
        assert r.status_code == 202, r.text
        assert r.json()["models"] == ["gold"] and r.json()["status"] == "queued"
        await asyncio.to_thread(jobs_app.state.wiring.jobs.join, 60_000)
        async with factory.session() as s:
            job = await s.get(Job, uuid.UUID(r.json()["job_id"]))
        assert job is not None and job.status == JobStatus.SUCCEEDED, job and job.error
        assert job.result is not None and job.result["gold"]["status"] == "champion"
        status = (await client.get("/api/predictions/status")).json()
        gold = next(m for m in status["models"] if m["name"] == "gold")
        assert gold["champion"]["version"] == 1
        assert gold["champion"]["data_start"] == "1973-01-01"
        prediction = await client.post("/api/predictions/gold", json={"date": "2027-01-15"})
        assert prediction.status_code == 200 and prediction.json()["model"]["version"] == 1


@pytest.mark.usefixtures("champions")
async def test_status_lists_each_model(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/predictions/status")
    assert r.status_code == 200
    models = {m["name"]: m for m in r.json()["models"]}
    assert set(models) == {"gold", "diamond"}
    diamond = models["diamond"]["champion"]
    assert diamond["version"] == 1 and diamond["status"] == "champion"
    assert diamond["data_start"] is None and diamond["n_rows"] > 40_000
    assert {"rmse", "r2", "mape", "coverage"} <= set(diamond["metrics"])
    assert diamond["training_seconds"] > 0
    gold = models["gold"]["champion"]
    assert gold["data_end"] == "2026-06-01"
    assert gold["metrics"]["horizons"]["12"]["naive_mape"] > 0
