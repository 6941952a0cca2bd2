"""Chat fixtures: a buyer, a business with an admin and a viewer, and an outsider."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from haat.businesses.models import Business, BusinessRole
from tests.conftest import Caller, Factory


@dataclass
class ChatCast:
    buyer: Caller
    owner: Caller
    viewer: Caller
    outsider: Caller
    admin: Caller
    business: Business


@pytest.fixture
async def cast(factory: Factory) -> ChatCast:
    from haat.identity.models import PlatformRole

    owner = await factory.user("owner", language="hi")
    business = await factory.business(owner, name="Srinagar Shawls")
    return ChatCast(
        buyer=await factory.user("buyer", language="de"),
        owner=owner,
        viewer=await factory.member(business, BusinessRole.VIEWER),
        outsider=await factory.user("outsider"),
        admin=await factory.user("staff", role=PlatformRole.ADMIN),
        business=business,
    )


async def open_conversation(client: httpx.AsyncClient, cast: ChatCast, **extra: str) -> str:
    r = await client.post(
        "/api/chat/conversations",
        json={"business_id": str(cast.business.id), **extra},
        headers=cast.buyer.headers,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])
