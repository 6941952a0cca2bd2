"""End-to-end journeys in Chromium on a live server (see conftest.py).

A buyer searches, favourites, buys from two sellers and sees two orders; an editor on a
360x740 phone creates a product with a photo and submits it; an approver rejects then
approves it and it appears in search; a shop records a credit sale in its khata and sees the
balance; the admin figures draw their charts.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from haat.businesses.models import BusinessRole
from haat.catalog.models import Product, ProductStatus
from haat.identity.models import PlatformRole
from tests.conftest import Factory
from tests.e2e.conftest import PHONE


def _photo(path: Path) -> Path:
    image = Image.new("RGB", (800, 600), (200, 120, 40))
    for x in range(200, 600):
        for y in range(150, 450, 7):
            image.putpixel((x, y), (20, 60, 160))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


async def test_buyer_searches_favourites_and_buys_from_two_sellers(
    factory: Factory, visitor: Any
) -> None:
    pottery = await factory.business(await factory.user("potter"), name="Jaipur Blue Potters")
    looms = await factory.business(await factory.user("weaver"), name="Srinagar Looms")
    await factory.product(pottery, title="Blue pottery vase", description="Cobalt on white")
    await factory.product(looms, title="Pashmina shawl", price_minor=1_850_000)
    buyer = await factory.user("lena")
    v = await visitor()
    await v.login(buyer)
    page = v.page
    await page.fill("#site-search", "vase")
    await page.press("#site-search", "Enter")
    await page.wait_for_selector(".product-card")
    await v.shot("search")
    await page.click("text=Blue pottery vase")
    await page.click("button.favourite-button")  # HTMX swaps the button in place
    await page.wait_for_selector("button.favourite-button[aria-pressed=true]")
    await v.shot("favourite")
    await page.click("text=Add to cart")
    await page.wait_for_url("**/cart")
    await v.go("/search?q=pashmina")
    await page.click("text=Pashmina shawl")
    await page.click("text=Add to cart")
    await page.wait_for_url("**/cart")
    await v.shot("cart")
    await page.click("text=Check out")
    await page.fill("#f-line1", "Hauptstr. 5")
    await page.fill("#f-city", "Berlin")
    await page.fill("#f-postal_code", "10115")
    await page.fill("#f-country", "DE")
    await v.shot("checkout")
    await page.click("text=Place order")
    await page.wait_for_url("**/orders")
    rows = page.locator("table.orders tbody tr")
    assert await rows.count() == 2
    text = await page.inner_text("table.orders")
    assert "Jaipur Blue Potters" in text and "Srinagar Looms" in text
    await v.shot("two-orders")
    await rows.first.locator("a").click()
    await page.wait_for_selector(".timeline [aria-current=step]")
    await v.shot("order-timeline")
    await v.go("/favorites")
    assert "Blue pottery vase" in await page.inner_text("main")


async def test_product_from_phone_to_search(factory: Factory, visitor: Any, tmp_path: Path) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner, name="Jaipur Blue Pottery Collective")
    editor = await factory.member(shop, BusinessRole.EDITOR, name="editor")
    staff = await factory.user("approver", role=PlatformRole.ADMIN)

    phone = await visitor(viewport=PHONE, tag="editor")
    await phone.login(editor)
    await phone.go("/seller")
    await phone.shot("portal")
    page = phone.page
    await page.click("text=New product")
    photo = page.locator("#f-photo")
    assert await photo.get_attribute("capture") == "environment"
    await photo.set_input_files(str(_photo(tmp_path / "vase.jpg")))
    await page.fill("#f-title", "HAND PAINTED VASE")
    await page.fill("#f-description", "Blue pottery from Jaipur, painted by hand.")
    await page.fill("#f-price", "2400")
    await page.fill("#f-sku", "JBP-VASE-77")
    await page.fill("#f-stock", "3")
    await phone.shot("new-product")
    await page.click("text=Save draft")
    await page.wait_for_selector(".photo-strip img")
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    await page.click("text=Submit for approval")
    await page.wait_for_selector(".status-pending_approval")
    await phone.shot("submitted")

    desk = await visitor(tag="approver")
    await desk.login(staff)
    await desk.go("/admin/queue")
    await desk.shot("queue")
    await desk.page.click("text=HAND PAINTED VASE")
    await desk.page.fill("#reason", "Title is in capital letters")
    await desk.page.click("button[value=reject]")
    await desk.page.wait_for_selector(".flash")
    await desk.shot("rejected")

    await phone.page.reload()
    assert "Title is in capital letters" in await phone.page.inner_text(".rejection")
    await phone.shot("sees-reason")
    await phone.page.fill("#f-title", "Hand-painted blue pottery vase")
    await phone.page.click("text=Save changes")
    await phone.page.wait_for_selector(".status-draft")
    await phone.page.click("text=Submit for approval")
    await phone.page.wait_for_selector(".status-pending_approval")

    await desk.go("/admin/queue")
    await desk.page.check("input[data-select-all]")
    await desk.page.click("button[value=approve]")
    await desk.page.wait_for_selector("text=1 product approved.")
    await desk.shot("approved")

    buyer = await visitor(tag="buyer")
    await buyer.go("/search?q=painted+vase")
    assert "Hand-painted blue pottery vase" in await buyer.page.inner_text(".results")
    await buyer.page.click("text=Hand-painted blue pottery vase")
    main_image = buyer.page.locator("#gallery-main")
    assert (await main_image.get_attribute("src") or "").startswith("/media/products/")
    await buyer.shot("in-shop")
    async with factory.session() as s:
        product = await s.scalar(select(Product).where(Product.sku == "JBP-VASE-77"))
        assert product is not None and product.status == ProductStatus.APPROVED


async def test_shop_records_a_credit_sale_in_khata(factory: Factory, visitor: Any) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner, name="Mehta Diamonds & Gold")
    v = await visitor(viewport=PHONE, locale="en-IN")
    await v.login(owner)
    await v.go(f"/seller/{shop.id}/khata")
    page = v.page
    await page.fill("#c-name", "Meena Sharma")
    await page.fill("#c-phone", "+91 98123 45678")
    await page.click("text=Add customer")
    await page.wait_for_selector("#amount")
    await page.fill("#amount", "150000")
    await page.click("button[value=credit]")  # the second tap; HTMX refreshes the ledger
    await page.wait_for_selector("[data-balance-minor='15000000']")
    assert "₹1,50,000.00" in await page.inner_text("#ledger")  # en-IN: lakh grouping
    await page.fill("#amount", "20000")
    await page.click("button[value=cash]")
    await page.wait_for_selector("[data-balance-minor='13000000']")
    await v.shot("balance")
    await v.go(f"/seller/{shop.id}/khata")
    assert "Meena Sharma" in await page.inner_text(".customers")
    await v.shot("customers")


async def test_script_in_titles_and_notes_never_runs(factory: Factory, visitor: Any) -> None:
    payload = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    owner = await factory.user("owner")
    shop = await factory.business(owner, name="Shop " + payload)
    product = await factory.product(shop, title="Vase " + payload, description=payload)
    v = await visitor()
    v.page.on("dialog", lambda d: v.problems.append(f"dialog: {d.message}"))
    await v.login(owner)
    for path in (f"/products/{product.id}", "/search?q=vase", f"/search?q={payload}", "/"):
        await v.page.goto(v.base + path)
        assert await v.page.evaluate("window.__xss") is None, path
    await v.go(f"/seller/{shop.id}/khata")
    await v.page.fill("#c-name", "Customer " + payload)
    await v.page.fill("#c-phone", "+91 98123 45600")
    await v.page.click("text=Add customer")
    await v.page.fill("#amount", "10")
    await v.page.fill("#description", payload)
    await v.page.click("button[value=credit]")
    await v.page.wait_for_selector("#ledger .note")
    assert payload in await v.page.inner_text("#ledger .note")  # shown as text
    assert await v.page.evaluate("window.__xss") is None
    await v.page.reload()
    assert await v.page.evaluate("window.__xss") is None
    await v.shot("escaped")
    # The broken <img> of the payload is text, so no request for "x" was made.
    v.problems = [p for p in v.problems if "/x" not in p]


async def test_hindi_and_kashmiri_pages(factory: Factory, visitor: Any) -> None:
    shop = await factory.business(await factory.user("potter"))
    await factory.product(shop, title="Blue pottery vase", price_minor=15_000_000)
    hindi = await visitor(locale="hi-IN", tag="hi")
    await hindi.go("/")
    html = hindi.page.locator("html")
    assert await html.get_attribute("lang") == "hi-IN"
    assert await html.get_attribute("dir") == "ltr"
    assert "उत्पाद खोजें" in await hindi.page.get_attribute("#site-search", "placeholder") or ""
    assert "₹1,50,000.00" in await hindi.page.inner_text(".product-grid")
    assert re.search("[\u0900-\u097f]", await hindi.page.inner_text("main"))
    await hindi.shot("home")
    kashmiri = await visitor(locale="ks", tag="ks")
    await kashmiri.go("/search?q=vase")
    html = kashmiri.page.locator("html")
    assert await html.get_attribute("lang") == "ks-Arab"
    assert await html.get_attribute("dir") == "rtl"
    text = await kashmiri.page.inner_text("main")
    assert re.search("[\u0600-\u06ff]", text)
    assert await kashmiri.page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    await kashmiri.shot("search")
    # The switcher, without JavaScript's help needed: pick Tamil.
    await kashmiri.page.select_option("#language-select", "ta")
    await kashmiri.page.wait_for_selector("html[lang=ta]")
    assert await kashmiri.page.locator("html").get_attribute("dir") == "ltr"


async def test_admin_figures_and_console_pages_have_no_errors(
    factory: Factory, visitor: Any
) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    shop = await factory.business(await factory.user("owner"), name="Kashmir Looms")
    await factory.product(shop, status=ProductStatus.PENDING_APPROVAL, title="Waiting stole")
    await factory.product(shop)
    v = await visitor()
    await v.login(staff)
    for path in (
        "/admin/queue",
        "/admin/businesses",
        "/admin/users",
        f"/seller/{shop.id}/products",
        f"/seller/{shop.id}/orders",
        f"/seller/{shop.id}/khata",
        f"/seller/{shop.id}/members",
        "/cart",
        "/orders",
        "/favorites",
    ):
        await v.go(path)
    await v.go("/admin/figures")
    await v.page.wait_for_selector("#chart-products .main-svg")
    # Nothing sold: no GMV chart (the sales table says so).
    assert await v.page.locator("#chart-gmv").count() == 0
    # Horizontal bars labelled with the statuses and their counts (one approved, one waiting).
    assert await v.page.locator("#chart-products g.point").count() == len(ProductStatus)
    products = await v.page.text_content("#chart-products") or ""
    assert "Waiting for approval" in products and "Published" in products and "1" in products
    # Redrawn at a phone's width without errors (the charts follow the window's size).
    await v.page.set_viewport_size(PHONE)
    await v.page.wait_for_timeout(500)
    await v.shot("figures")
