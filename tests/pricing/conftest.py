"""Shared arrangements for the pricing tests: a platform admin, a jeweller (no approval
needed, so edits stay public), its staff, another jeweller, a buyer, and helpers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from haat.businesses.models import BusinessKind, BusinessRole
from haat.catalog.models import ProductStatus
from haat.core.db import utcnow
from haat.identity.models import PlatformRole
from tests.conftest import Caller, Factory


def days_ago(n: int) -> date:
    return utcnow().date() - timedelta(days=n)


async def add_rate(
    client: httpx.AsyncClient,
    admin: Caller,
    metal: str,
    rate_minor_per_g: int,
    as_of: date,
    source: str = "test rate",
) -> httpx.Response:
    body = {
        "metal": metal,
        "as_of": as_of.isoformat(),
        "rate_minor_per_g": rate_minor_per_g,
        "source": source,
    }
    return await client.post("/api/metal-rates", json=body, headers=admin.headers)


async def put_jewellery(
    client: httpx.AsyncClient, caller: Caller, product: Any, **body: object
) -> httpx.Response:
    spec = {"metal": "gold", "purity": 916, "weight_g": "10.250", "making_charge_bp": 1200}
    spec.update(body)
    spec = {k: v for k, v in spec.items() if v is not None}
    return await client.put(
        f"/api/products/{product.id}/jewellery", json=spec, headers=caller.headers
    )


@pytest.fixture
async def shop(factory: Factory) -> dict[str, Any]:
    owner = await factory.user("jeweller")
    other_owner = await factory.user("rival")
    business = await factory.business(
        owner, name="Mehta Gold", kind=BusinessKind.JEWELLERY_SHOP, requires_approval=False
    )
    rival = await factory.business(other_owner, name="Rival Gold", kind=BusinessKind.JEWELLERY_SHOP)
    return {
        "admin": await factory.user("admin", role=PlatformRole.ADMIN),
        "owner": owner,
        "business": business,
        "editor": await factory.member(business, BusinessRole.EDITOR),
        "viewer": await factory.member(business, BusinessRole.VIEWER),
        "rival": other_owner,
        "rival_business": rival,
        "buyer": await factory.user("buyer"),
        "chain": await factory.product(business, title="22K rope chain", price_minor=1),
        "draft": await factory.product(business, title="Draft ring", status=ProductStatus.DRAFT),
        "rival_draft": await factory.product(
            rival, title="Rival draft", status=ProductStatus.DRAFT
        ),
    }
