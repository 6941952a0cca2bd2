"""Shared arrangements for the commerce tests: two sellers with public products."""

from __future__ import annotations

import pytest

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus
from tests.conftest import Factory


@pytest.fixture
async def market(factory: Factory) -> dict:  # type: ignore[type-arg]
    potter = await factory.user("potter")
    weaver = await factory.user("weaver")
    pottery = await factory.business(potter, name="Jaipur Potters")
    looms = await factory.business(weaver, name="Kashmir Looms")
    return {
        "potter": potter,
        "weaver": weaver,
        "pottery": pottery,
        "looms": looms,
        "pottery_editor": await factory.member(pottery, BusinessRole.EDITOR),
        "pottery_viewer": await factory.member(pottery, BusinessRole.VIEWER),
        "buyer": await factory.user("buyer"),
        "other_buyer": await factory.user("other"),
        "vase": await factory.product(
            pottery, title="Blue pottery vase", price_minor=150000, stock_quantity=5
        ),
        "bowl": await factory.product(
            pottery, title="Blue pottery bowl", price_minor=45000, stock_quantity=10
        ),
        "shawl": await factory.product(
            looms, title="Pashmina shawl", price_minor=1850000, stock_quantity=2
        ),
        "draft": await factory.product(looms, title="Draft stole", status=ProductStatus.DRAFT),
    }


ADDRESS = {
    "name": "Lena Becker",
    "phone": "+4915112345678",
    "line1": "Hauptstr. 5",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
}
