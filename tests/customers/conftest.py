"""Fixtures for customers and khata: a shop with one member per role, and API helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from haat.businesses.models import BusinessRole
from haat.identity.models import PlatformRole
from tests.conftest import Caller, Factory

PROBLEM = "application/problem+json"


def today() -> date:
    return datetime.now(UTC).date()


def days_ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


@pytest.fixture
async def shop(factory: Factory) -> dict[str, Any]:
    """A jewellery shop with one member per role, an outsider (admin of another business),
    a platform admin and a buyer who belongs to no business."""
    owner = await factory.user("owner")
    business = await factory.business(owner, name="Swati Jewellers")
    other_owner = await factory.user("other")
    other = await factory.business(other_owner, name="Other Shop")
    return {
        "business": business,
        "other_business": other,
        "admin": owner,
        "approver": await factory.member(business, BusinessRole.APPROVER),
        "editor": await factory.member(business, BusinessRole.EDITOR),
        "viewer": await factory.member(business, BusinessRole.VIEWER),
        "outsider": other_owner,
        "platform": await factory.user("staff", role=PlatformRole.ADMIN),
        "buyer": await factory.user("buyer"),
    }


def customer_body(business: object, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "business_id": str(business),
        "name": "Meena Sharma",
        "phone": "+91 98123 45678",
        "email": "meena@example.com",
        "address": "12 Johari Bazaar, Jaipur",
        "notes": "Prefers 22k gold",
        "preferred_language": "hi",
    }
    data.update(overrides)
    return data


async def new_customer(
    client: httpx.AsyncClient, caller: Caller, business: object, **overrides: object
) -> dict[str, Any]:
    r = await client.post(
        "/api/customers", json=customer_body(business, **overrides), headers=caller.headers
    )
    assert r.status_code == 201, r.text
    return r.json()


async def post_entry(
    client: httpx.AsyncClient, caller: Caller | None, customer_id: str, **fields: object
) -> httpx.Response:
    body: dict[str, object] = {"customer_id": customer_id, **fields}
    return await client.post(
        "/api/khata/entries", json=body, headers=caller.headers if caller else {}
    )


async def entry(
    client: httpx.AsyncClient,
    caller: Caller,
    customer_id: str,
    kind: str,
    amount: int,
    **kw: object,
) -> dict[str, Any]:
    if kind == "payment":
        kw.setdefault("method", "cash")
    r = await post_entry(client, caller, customer_id, kind=kind, amount_minor=amount, **kw)
    assert r.status_code == 201, r.text
    return r.json()


def error_fields(response: httpx.Response) -> set[str]:
    return {str(p) for e in response.json().get("errors", []) for p in e["loc"]}
