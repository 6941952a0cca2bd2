"""A jeweller on a 360x740 phone prices a chain from the day's gold rate in the seller portal
and sees its new price and breakdown (see conftest.py for the live server and browser)."""

from __future__ import annotations

from typing import Any

from haat.businesses.models import BusinessKind
from haat.catalog.models import Metal
from haat.core.db import utcnow
from haat.core.money import format_money
from haat.pricing.jewellery import price
from haat.pricing.models import MetalRate
from tests.conftest import Factory
from tests.e2e.conftest import PHONE

GOLD_RATE = 1290823


async def test_jeweller_prices_a_chain_from_the_gold_rate(factory: Factory, visitor: Any) -> None:
    owner = await factory.user("jeweller")
    shop = await factory.business(
        owner, name="Mehta Diamonds & Gold", kind=BusinessKind.JEWELLERY_SHOP
    )
    chain = await factory.product(shop, title="22K gold rope chain, 20 inches", price_minor=100)
    async with factory.session() as s:
        s.add(
            MetalRate(
                metal=Metal.GOLD, as_of=utcnow().date(), rate_minor_per_g=GOLD_RATE, source="IBJA"
            )
        )
        await s.commit()
    v = await visitor(viewport=PHONE, locale="en-IN")
    await v.login(owner)
    await v.go(f"/seller/{shop.id}/products/{chain.id}")
    page = v.page
    # The script narrows the purity select to the chosen metal's grades.
    await page.select_option("#j-metal", "silver")
    assert (
        await page.eval_on_selector("#j-purity", "s => s.selectedOptions[0].parentNode.label")
        == "Silver"
    )
    assert (
        await page.locator("#j-purity optgroup[data-metal=gold]").get_attribute("disabled")
        is not None
    )
    await page.select_option("#j-metal", "gold")
    await page.select_option("#j-purity", "916")
    await page.fill("#j-weight", "10.250")
    await page.check("input[name=making_kind][value=per_gram]")
    await page.fill("#j-making", "950")
    await v.shot("form")
    async with page.expect_navigation():
        await page.click(".jewellery-form button[type=submit]")
    expected = price(GOLD_RATE, 10_250, 916, making_charge_per_g_minor=95_000)
    flash = f"the price is now {format_money(expected.subtotal_minor, 'INR', 'en_IN')}"
    assert flash in await page.inner_text("main")
    section = await page.inner_text("section.jewellery")
    assert format_money(expected.subtotal_minor, "INR", "en_IN") in section
    assert format_money(expected.total_minor, "INR", "en_IN") in section
    assert "₹950.00 a gram" in section
    rupees = f"{expected.subtotal_minor // 100}.{expected.subtotal_minor % 100:02d}"
    assert await page.input_value("#f-price") == rupees  # the product's price, re-priced
    # Nothing wider than the phone.
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await page.locator("#jewellery-heading").scroll_into_view_if_needed()
    await v.shot("priced")
