"""Browser journeys of round 2: a buyer pays an order by a manual method and funds and
releases an escrow milestone (the seller confirming the money in their portal); a buyer pays
on Stripe Checkout's hosted page (the local fake) and comes back to a paid order; and every
page type, for every kind of visitor, loads without a console error, an uncaught exception,
a failed request or a Content-Security-Policy violation (conftest.py fails the test on any).
"""

from __future__ import annotations

import re
from typing import Any

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus
from haat.commerce.models import OrderStatus
from haat.config import Settings
from haat.customers import service as customers
from haat.customers.schemas import CustomerCreate
from haat.customers.sharing import share_token
from haat.identity.models import PlatformRole
from tests.conftest import Factory
from tests.e2e.conftest import PHONE
from tests.payments.conftest import STRIPE_ACCOUNT, use_provider
from tests.payments.fakes.stripe_api import FakeStripe


async def _place_order(v: Any, product_title: str, method: str) -> str:
    """In the browser: search, add to cart, check out paying by ``method``; the order path."""
    page = v.page
    await v.go("/search?q=" + product_title.split()[0].lower())
    await page.click(f"text={product_title}")
    await page.click("text=Add to cart")
    await page.wait_for_url("**/cart")
    await page.click("text=Check out")
    await page.fill("#f-line1", "12 MG Road")
    await page.fill("#f-city", "Bengaluru")
    await page.fill("#f-country", "IN")
    await page.check(f"#pay-{method}")
    await page.click("text=Place order")
    await page.wait_for_url(re.compile(r".*/orders/[0-9a-f-]{36}$"))
    return page.url.split(v.base, 1)[1]


async def test_buyer_pays_by_upi_and_funds_and_releases_a_milestone(
    factory: Factory, visitor: Any
) -> None:
    owner = await factory.user("potter", role=PlatformRole.SELLER)
    shop = await factory.business(owner, name="Jaipur Blue Potters")
    await factory.product(shop, title="Cobalt vase", price_minor=150000, stock_quantity=5)
    await factory.product(shop, title="Dinner service", price_minor=1200000, stock_quantity=5)
    buyer_user = await factory.user("asha")
    buyer = await visitor(viewport=PHONE, locale="en-IN", tag="buyer")
    seller = await visitor(locale="en-IN", tag="seller")
    await buyer.login(buyer_user)
    await seller.login(owner)

    # 1. The whole order by UPI: the buyer chooses it at checkout, the seller confirms it.
    order_path = await _place_order(buyer, "Cobalt vase", "upi")
    assert "Waiting for the seller to confirm" in await buyer.page.inner_text(".payment")
    await buyer.shot("upi-waiting")
    order_id = order_path.rsplit("/", 1)[1]
    await seller.go(f"/seller/{shop.id}/orders/{order_id}")
    await seller.page.click("text=Confirm received")
    await seller.page.wait_for_selector(".flashes >> text=Payment confirmed.")
    await seller.shot("upi-confirmed")
    await buyer.go(order_path)
    assert "Paid" in await buyer.page.inner_text(".payment-status")
    await buyer.shot("upi-paid")

    # 2. Milestones: the seller splits the second order 30 / 70 in the portal; the buyer pays
    # the advance in cash, the seller confirms it, the buyer releases it.
    order_path = await _place_order(buyer, "Dinner service", "later")
    order_id = order_path.rsplit("/", 1)[1]
    await seller.go(f"/seller/{shop.id}/orders/{order_id}")
    await seller.page.fill("#ms-title-0", "Advance at production start")
    await seller.page.fill("#ms-percent-0", "30")
    await seller.page.fill("#ms-title-1", "On delivery")
    await seller.page.fill("#ms-percent-1", "70")
    await seller.shot("split")
    await seller.page.click("text=Save milestones")
    await seller.page.wait_for_selector(".flashes >> text=Milestones saved.")
    await buyer.go(order_path)
    first = buyer.page.locator(".milestone").first
    assert "Waiting for payment" in await first.inner_text()
    await first.locator("input[value=cash]").check()
    await buyer.shot("milestone-to-fund")
    await first.locator("button[type=submit]").click()
    await buyer.page.wait_for_selector(".flashes >> text=Payment noted.")
    await seller.go(f"/seller/{shop.id}/orders/{order_id}")
    await seller.page.click("text=Confirm received")
    await seller.page.wait_for_selector(".flashes >> text=Payment confirmed.")
    await buyer.go(order_path)
    first = buyer.page.locator(".milestone").first
    assert "Paid into escrow" in await first.inner_text()
    await buyer.shot("milestone-funded")
    await first.locator("text=Release to the seller").click()  # a confirm dialog, accepted
    await buyer.page.wait_for_selector(".flashes >> text=Released to the seller.")
    first = buyer.page.locator(".milestone").first
    assert "Released to the seller" in await first.inner_text()
    assert "Partly paid" in await buyer.page.inner_text(".payment-status")
    await buyer.shot("milestone-released")


async def test_buyer_pays_on_stripe_checkout(
    factory: Factory, visitor: Any, stripe_server: tuple[FakeStripe, str]
) -> None:
    fake, fake_url = stripe_server
    owner = await factory.user("jeweller", role=PlatformRole.SELLER)
    shop = await factory.business(owner, name="Chandni Chowk Silver")
    await use_provider(factory.db, shop, "stripe", STRIPE_ACCOUNT)
    await factory.product(shop, title="Silver anklet", price_minor=420000, stock_quantity=5)
    buyer = await visitor(viewport=PHONE, locale="en-IN", tag="buyer")
    await buyer.login(await factory.user("meera"))

    order_path = await _place_order(buyer, "Silver anklet", "later")
    await buyer.shot("stripe-to-pay")
    await buyer.page.click("text=Pay with Stripe")
    await buyer.page.wait_for_url(f"{fake_url}/pay/cs_test_*")  # Stripe's hosted page
    assert "4956" in await buyer.page.inner_text(".amount")  # 4,200.00 + 18 % GST, in paise
    # Back to the shop without paying: the payment waits, and the buyer goes back to Stripe.
    await buyer.page.click("text=Back")
    await buyer.page.wait_for_selector(".flashes >> text=page before paying")
    await buyer.shot("stripe-left")
    await buyer.page.click("text=Continue to Stripe")
    await buyer.page.wait_for_url(f"{fake_url}/pay/cs_test_*")
    await buyer.page.click("text=Pay")
    await buyer.page.wait_for_url(buyer.base + order_path)
    await buyer.page.wait_for_selector(".flashes >> text=Payment received. Thank you!")
    assert "Paid" in await buyer.page.inner_text(".payment-status")
    assert "Pay with Stripe" not in await buyer.page.inner_text(".payment")
    # On the phone the order's total stays on screen: no sideways scroll to find it.
    width = await buyer.page.evaluate("window.innerWidth")
    total = await buyer.page.locator(".lines tfoot td").bounding_box()
    assert total is not None and total["x"] + total["width"] <= width
    await buyer.shot("stripe-paid")
    (session,) = [s for s in fake.sessions.values() if s["status"] == "complete"][-1:]
    assert session["payment_intent"] in fake.intents


async def test_every_page_type_without_console_errors(
    factory: Factory, visitor: Any, settings: Settings
) -> None:
    owner = await factory.user("owner", role=PlatformRole.SELLER)
    shop = await factory.business(owner, name="Kashmir Looms")
    await factory.member(shop, BusinessRole.EDITOR)
    product = await factory.product(shop, title="Pashmina stole", price_minor=1850000)
    waiting = await factory.product(
        shop, title="Waiting rug", status=ProductStatus.PENDING_APPROVAL
    )
    async with factory.session() as s:
        customer = await customers.create_customer(
            s,
            owner.actor,
            CustomerCreate(business_id=shop.id, name="Meena Sharma", phone="+919812345678"),
        )
        token = await share_token(s, owner.actor, customer.id, settings.secret_key)
        await s.commit()
    buyer_user = await factory.user("lena")
    staff = await factory.user("staff", role=PlatformRole.ADMIN)

    anonymous = await visitor(locale="de-DE", tag="anon")
    for path in (
        "/",
        "/search?q=pashmina&sort=price_asc",
        "/search?category=&min_price=100&max_price=100000&currency=INR",
        f"/products/{product.id}",
        "/login",
        "/signup",
        f"/s/khata/{token}",
    ):
        await anonymous.go(path)
    missing = await anonymous.page.goto(
        anonymous.base + "/products/00000000-0000-0000-0000-000000000000"
    )
    assert missing is not None and missing.status == 404  # the error page, in German
    await anonymous.page.wait_for_load_state("load")
    await anonymous.shot("not-found")
    # Chromium logs the document's own 404 status as a console error; nothing else may.
    assert anonymous.problems == [
        "console: Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    anonymous.problems.clear()

    buyer = await visitor(tag="buyer")
    await buyer.login(buyer_user)
    await buyer.go(f"/products/{product.id}")
    await buyer.page.click("text=Add to cart")
    await buyer.page.wait_for_url("**/cart")
    for path in ("/cart", "/checkout", "/orders", "/favorites"):
        await buyer.go(path)
    order_path = await _place_order(buyer, "Pashmina stole", "later")
    await buyer.go(order_path)
    await buyer.shot("order")

    seller = await visitor(viewport=PHONE, tag="seller")
    await seller.login(owner)
    order_id = order_path.rsplit("/", 1)[1]
    for path in (
        "/seller",
        f"/seller/{shop.id}/products",
        f"/seller/{shop.id}/products/new",
        f"/seller/{shop.id}/products/{product.id}",
        f"/seller/{shop.id}/orders",
        f"/seller/{shop.id}/orders/{order_id}",
        f"/seller/{shop.id}/khata",
        f"/seller/{shop.id}/khata/customers/{customer.id}",
        f"/seller/{shop.id}/members",
    ):
        await seller.go(path)

    admin = await visitor(tag="admin")
    await admin.login(staff)
    for path in (
        "/admin/queue",
        f"/admin/products/{waiting.id}",
        "/admin/businesses",
        "/admin/users",
    ):
        await admin.go(path)
    await admin.go("/admin/figures")
    await admin.page.wait_for_selector("#chart-products .main-svg")
    await admin.page.wait_for_selector("#chart-gmv .main-svg")
    # One bar per status, and a GMV chart (one per currency sold) with its monthly bars.
    assert await admin.page.locator("#chart-products g.point").count() == len(ProductStatus)
    assert await admin.page.locator("#chart-orders g.point").count() == len(OrderStatus)
    assert await admin.page.locator("#chart-gmv g.point").count() >= 1
    assert "GMV INR" in (await admin.page.text_content("#chart-gmv") or "")
    await admin.shot("figures")

    kashmiri = await visitor(locale="ks", tag="ks")
    await kashmiri.go(f"/products/{product.id}")
    await kashmiri.go("/search?q=pashmina")
