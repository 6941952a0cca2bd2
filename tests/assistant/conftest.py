"""A small catalogue for the assistant: public products, and a non-public twin of each kind
that matches the questions better than the public ones (so a leak would show)."""

from __future__ import annotations

from typing import Any

import pytest

from haat.catalog.models import Product, ProductStatus
from tests.conftest import Factory

HIDDEN = (
    ProductStatus.DRAFT,
    ProductStatus.PENDING_APPROVAL,
    ProductStatus.REJECTED,
    ProductStatus.UNPUBLISHED,
    ProductStatus.ARCHIVED,
)


@pytest.fixture
async def shop(factory: Factory) -> dict[str, Any]:
    potter = await factory.user("potter")
    jeweller = await factory.user("jeweller")
    weaver = await factory.user("weaver")
    pottery = await factory.business(potter, name="Jaipur Blue Pottery Collective")
    filigree = await factory.business(jeweller, name="Cuttack Silver Filigree Collective")
    looms = await factory.business(weaver, name="Kullu Shawls Collective")
    p: dict[str, Product] = {
        "vase": await factory.product(
            pottery,
            title="Jaipur blue pottery vase with floral pattern, blue and green",
            description="Hand-painted quartz pottery vase.",
            price_minor=240000,
            stock_quantity=1,
            attributes={"material": "quartz, glaze", "colour": "blue and green"},
        ),
        "plate": await factory.product(
            pottery,
            title="Jaipur blue pottery decorative wall plate, cobalt blue and white",
            price_minor=180000,
            stock_quantity=0,
            attributes={"material": "quartz, glaze"},
        ),
        "earrings": await factory.product(
            filigree,
            title="Cuttack silver filigree earrings, oxidised silver",
            description="Fine silver wire work.",
            price_minor=180000,
            stock_quantity=59,
            attributes={"metal": "silver", "purity": 925},
        ),
        "necklace": await factory.product(
            filigree,
            title="Cuttack silver filigree necklace, bright silver",
            price_minor=1980000,
            stock_quantity=1,
            attributes={"metal": "silver"},
        ),
        "shawl_wool": await factory.product(
            looms,
            title="Kullu wool shawl with geometric border, black",
            price_minor=470000,
            stock_quantity=13,
            attributes={"material": "sheep wool", "colour": "black", "dimensions_cm": "200 x 100"},
        ),
        "shawl_angora": await factory.product(
            looms,
            title="Kullu angora shawl with woven border, brown",
            price_minor=649900,
            stock_quantity=8,
            attributes={"material": "angora", "colour": "brown", "dimensions_cm": "200 x 90"},
        ),
    }
    hidden = {
        status: await factory.product(
            filigree,
            status=status,
            title=f"Silver jhumka earrings blue pottery vase shawl {status.value}",
            price_minor=99900,
            stock_quantity=5,
        )
        for status in HIDDEN
    }
    return {
        "products": p,
        "hidden": hidden,
        "pottery": pottery,
        "filigree": filigree,
        "looms": looms,
    }
