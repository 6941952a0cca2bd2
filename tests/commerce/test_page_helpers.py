"""Small service helpers the pages use: favourite flags and the statuses an order may take."""

from __future__ import annotations

import uuid

from haat.commerce import cart
from haat.commerce.models import OrderStatus as S
from haat.commerce.status import allowed_targets
from haat.identity.actor import Actor
from tests.conftest import Factory


async def test_favorite_ids(factory: Factory) -> None:
    shop = await factory.business(await factory.user("potter"))
    vase, bowl = await factory.product(shop), await factory.product(shop, title="Bowl")
    buyer = await factory.user("buyer")
    async with factory.session() as s:
        await cart.add_favorite(s, buyer.actor, vase.id)
        await s.commit()
        assert await cart.favorite_ids(s, buyer.actor, [vase.id, bowl.id, uuid.uuid4()]) == {
            vase.id
        }
        assert await cart.favorite_ids(s, Actor.anonymous(), [vase.id]) == set()
        assert await cart.favorite_ids(s, buyer.actor, []) == set()


def test_allowed_targets() -> None:
    assert allowed_targets(S.PENDING, staff=True, buyer=False) == [S.CONFIRMED, S.CANCELLED]
    assert allowed_targets(S.PENDING, staff=False, buyer=True) == [S.CANCELLED]
    assert allowed_targets(S.PROCESSING, staff=False, buyer=True) == []
    assert allowed_targets(S.DELIVERED, staff=False, buyer=True) == [S.COMPLETED]
    assert allowed_targets(S.DELIVERED, staff=True, buyer=False) == [S.COMPLETED, S.REFUNDED]
    assert allowed_targets(S.REFUNDED, staff=True, buyer=True) == []
