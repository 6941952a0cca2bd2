"""Platform figures: counts per status, GMV and average order value per currency, by month."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from haat.catalog.models import ProductStatus
from haat.commerce import cart, checkout, figures
from haat.commerce.models import Order, OrderStatus
from haat.commerce.schemas import CheckoutIn
from haat.core.errors import Forbidden, Unauthenticated
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole
from tests.conftest import Factory

BODY = CheckoutIn.model_validate(
    {"delivery_address": {"name": "A", "line1": "B", "city": "C", "country": "IN"}}
)


def test_average_rounds_half_even() -> None:
    assert figures.average(0, 0) == 0
    assert figures.average(10, 4) == 2  # 2.5 -> 2
    assert figures.average(14, 4) == 4  # 3.5 -> 4
    assert figures.average(100, 3) == 33


def test_month_start_walks_back_across_years() -> None:
    now = datetime(2026, 2, 15, tzinfo=UTC)
    assert figures._month_start(now, 0) == datetime(2026, 2, 1, tzinfo=UTC)
    assert figures._month_start(now, 11) == datetime(2025, 3, 1, tzinfo=UTC)


async def test_figures(factory: Factory) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    inr = await factory.business(await factory.user("potter"))
    usd = await factory.business(await factory.user("jeweller"))
    vase = await factory.product(inr, price_minor=100_000, stock_quantity=10)
    stone = await factory.product(usd, price_minor=50_000, currency="USD", stock_quantity=10)
    await factory.product(inr, status=ProductStatus.DRAFT)
    buyers = [await factory.user(f"buyer{i}") for i in range(3)]
    async with factory.session() as s:
        for i, buyer in enumerate(buyers):
            await cart.add_item(s, buyer.actor, vase.id, 1 + i)
            if i == 0:
                await cart.add_item(s, buyer.actor, stone.id, 1)
            await checkout.checkout(s, buyer.actor, BODY, f"key-{i}-12345")
        await s.commit()
    async with factory.session() as s:  # the third INR order is cancelled: not in GMV
        await s.execute(
            update(Order).where(Order.buyer_id == buyers[2].id).values(status=OrderStatus.CANCELLED)
        )
        await s.commit()
    async with factory.session() as s:
        data = await figures.platform_figures(s, staff.actor)
    assert data.products_by_status["approved"] == 2
    assert data.products_by_status["draft"] == 1
    assert data.products_by_status["archived"] == 0
    assert data.orders_by_status["pending"] == 3 and data.orders_by_status["cancelled"] == 1
    sales = {row.currency: row for row in data.sales}
    # INR: 1 + 2 vases at 1,000.00 plus GST (18 % default) = 1,180.00 and 2,360.00.
    assert sales["INR"].orders == 2
    assert sales["INR"].gmv_minor == 118_000 + 236_000
    assert sales["INR"].average_order_minor == 177_000
    assert sales["USD"].orders == 1 and sales["USD"].gmv_minor == 59_000
    month = datetime.now(UTC).strftime("%Y-%m")
    assert {(m.month, m.currency, m.orders) for m in data.by_month} == {
        (month, "INR", 2),
        (month, "USD", 1),
    }


async def test_figures_are_for_staff(factory: Factory) -> None:
    seller = await factory.user("seller", role=PlatformRole.SELLER)
    async with factory.session() as s:
        with pytest.raises(Unauthenticated):
            await figures.platform_figures(s, Actor.anonymous())
        with pytest.raises(Forbidden):
            await figures.platform_figures(s, seller.actor)
