"""Two approvers acting at once: one transition, one 409, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus, ProductStatusChange
from tests.conftest import Factory


async def test_concurrent_approvals_give_one_transition(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    first = await factory.member(business, BusinessRole.APPROVER, "first")
    second = await factory.member(business, BusinessRole.APPROVER, "second")
    products = [
        await factory.product(business, status=ProductStatus.PENDING_APPROVAL) for _ in range(8)
    ]

    async def approve(product_id: object, headers: dict[str, str]) -> int:
        r = await client.post(f"/api/products/{product_id}/approve", headers=headers)
        return r.status_code

    for product in products:
        statuses = await asyncio.gather(
            approve(product.id, first.headers), approve(product.id, second.headers)
        )
        assert sorted(statuses) == [200, 409], statuses

    async with factory.session() as s:
        approvals = await s.scalar(
            select(func.count())
            .select_from(ProductStatusChange)
            .where(ProductStatusChange.action == "approve")
        )
    assert approvals == len(products)


async def test_concurrent_approve_and_reject(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    approver = await factory.member(business, BusinessRole.APPROVER)
    product = await factory.product(business, status=ProductStatus.PENDING_APPROVAL)
    approve, reject = await asyncio.gather(
        client.post(f"/api/products/{product.id}/approve", headers=approver.headers),
        client.post(
            f"/api/products/{product.id}/reject",
            headers=owner.headers,
            json={"reason": "Photos are blurry"},
        ),
    )
    assert sorted([approve.status_code, reject.status_code]) == [200, 409]
    final = (await client.get(f"/api/products/{product.id}", headers=owner.headers)).json()
    winner = "approved" if approve.status_code == 200 else "rejected"
    assert final["status"] == winner
