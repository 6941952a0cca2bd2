"""`haat demo`: the marketplace loads from the real data, in every status, idempotently."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from haat.businesses.models import Business, Cluster
from haat.catalog.models import Product, ProductStatus, ProductStatusChange
from haat.core.db import Database
from haat.demo.loader import DEMO_PASSWORD, load_demo


async def _load(db: Database, diamonds: int = 60) -> object:
    async with db.session() as session:
        result = await load_demo(session, diamonds=diamonds)
        await session.commit()
    return result


async def test_demo_loads_real_marketplace(db: Database, client: httpx.AsyncClient) -> None:
    result = await _load(db)
    assert result.loaded and result.businesses == 50  # 49 clusters + the jewellery shop
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Cluster)) == 49
        statuses = dict(
            (await s.execute(select(Product.status, func.count()).group_by(Product.status))).all()
        )
        assert set(statuses) == set(ProductStatus)
        assert statuses[ProductStatus.APPROVED] > sum(statuses.values()) / 2
        jaipur = await s.scalar(select(Business).where(Business.city == "Jaipur"))
        assert jaipur is not None and round(jaipur.latitude, 2) == 26.91
        # Every product has a history that ends in its current status.
        last = await s.scalar(
            select(func.count())
            .select_from(Product)
            .where(
                Product.status
                != select(ProductStatusChange.to_status)
                .where(ProductStatusChange.product_id == Product.id)
                .order_by(ProductStatusChange.created_at.desc())
                .limit(1)
                .scalar_subquery()
            )
        )
        assert last == 0
        stones = await s.scalar(
            select(func.count()).select_from(Product).where(Product.currency == "USD")
        )
        assert stones == 60

    r = await client.get("/api/products", params={"search": "pashmina shawl"})
    assert r.json()["total"] >= 1 and all(p["status"] == "approved" for p in r.json()["items"])
    r = await client.get("/api/products", params={"search": "ideal diamond", "currency": "USD"})
    assert r.json()["total"] >= 1

    token = (
        await client.post(
            "/api/auth/login", json={"identifier": "admin@haat.example", "password": DEMO_PASSWORD}
        )
    ).json()["access_token"]
    queue = await client.get(
        "/api/products/admin",
        params={"status": "pending_approval"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert queue.json()["total"] > 10


async def test_demo_is_idempotent(db: Database) -> None:
    assert (await _load(db, diamonds=10)).loaded
    async with db.session() as s:
        before = await s.scalar(select(func.count()).select_from(Product))
    assert not (await _load(db, diamonds=10)).loaded
    async with db.session() as s:
        assert await s.scalar(select(func.count()).select_from(Product)) == before
