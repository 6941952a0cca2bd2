"""The pages doing their jobs over HTTP (the browser journeys are in tests/e2e/)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlencode

import httpx
from PIL import Image
from sqlalchemy import func, select

from haat.businesses.models import BusinessRole
from haat.catalog.models import Product, ProductStatus
from haat.commerce.models import Order, OrderStatus
from haat.customers.models import Customer
from haat.identity.models import PlatformRole
from haat.web.routes import admin as admin_routes
from tests.conftest import CapturingSms, Factory
from tests.web.conftest import csrf_of, token, web_login

ADDRESS = {"name": "Lena Becker", "line1": "Hauptstr. 5", "city": "Berlin", "country": "DE"}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


async def test_buyer_checks_out_two_sellers_once(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    pottery = await factory.business(await factory.user("potter"), name="Jaipur Potters")
    looms = await factory.business(await factory.user("weaver"), name="Kashmir Looms")
    vase = await factory.product(pottery, title="Blue pottery vase")
    shawl = await factory.product(looms, title="Pashmina shawl", price_minor=1850000)
    await web_login(client, await factory.user("buyer"))
    for product in (vase, shawl):
        csrf = await token(client, f"/products/{product.id}")
        r = await client.post(
            "/cart/items", data={"product_id": str(product.id), "quantity": "1", "csrf_token": csrf}
        )
        assert r.status_code == 303
    cart = await client.get("/cart")
    assert "Blue pottery vase" in cart.text and "Pashmina shawl" in cart.text
    page = await client.get("/checkout")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert key
    form = {**ADDRESS, "csrf_token": csrf_of(page.text), "idempotency_key": key.group(1)}
    bad = await client.post("/checkout", data={**form, "country": ""})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    placed = await client.post("/checkout", data=form)
    assert placed.status_code == 303 and placed.headers["location"] == "/orders"
    again = await client.post("/checkout", data=form)  # a double click: same orders
    assert again.status_code == 303
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Order)) == 2
    orders = await client.get("/orders")
    rows = re.findall(r'href="/orders/[0-9a-f-]{36}">(HT-[0-9-]+)<', orders.text)
    assert len(rows) == 2
    order_id = re.search(r'href="/orders/([0-9a-f-]{36})"', orders.text)
    assert order_id
    detail = await client.get(f"/orders/{order_id.group(1)}")
    assert 'aria-current="step"' in detail.text and "Not paid yet" in detail.text


async def test_out_of_stock_is_explained(client: httpx.AsyncClient, factory: Factory) -> None:
    shop = await factory.business(await factory.user("potter"))
    vase = await factory.product(shop, stock_quantity=1)
    await web_login(client, await factory.user("buyer"))
    csrf = await token(client, f"/products/{vase.id}")
    r = await client.post(
        "/cart/items", data={"product_id": str(vase.id), "quantity": "3", "csrf_token": csrf}
    )
    assert r.status_code == 409
    assert "Not enough stock" in r.text


async def test_editor_creates_product_with_photo_and_submits(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    shop = await factory.business(await factory.user("owner"))
    editor = await factory.member(shop, BusinessRole.EDITOR)
    await web_login(client, editor)
    page = await client.get(f"/seller/{shop.id}/products/new")
    assert 'capture="environment"' in page.text and 'accept="image/*"' in page.text
    fields = {
        "title": "Brass diya",
        "description": "Hand-cast",
        "price": "1,250.50",
        "currency": "INR",
        "sku": "DIYA-1",
        "stock": "4",
        "attributes": "material: brass\nweight_g: 200",
        "csrf_token": csrf_of(page.text),
    }
    created = await client.post(
        f"/seller/{shop.id}/products",
        data=fields,
        files={"photo": ("diya.jpg", _jpeg(), "image/jpeg")},
    )
    assert created.status_code == 303, created.text
    product_page = await client.get(created.headers["location"])
    assert 'value="1250.50"' in product_page.text
    async with factory.session() as s:
        product = await s.scalar(select(Product).where(Product.sku == "DIYA-1"))
        assert product is not None and product.price_minor == 125050
        assert product.attributes == {"material": "brass", "weight_g": "200"}
    assert "/media/products/" in product_page.text
    submit = await client.post(
        f"/seller/{shop.id}/products/{product.id}/submit",
        data={"csrf_token": csrf_of(product_page.text)},
    )
    assert submit.status_code == 303
    async with factory.session() as s:
        assert (await s.get(Product, product.id)).status == ProductStatus.PENDING_APPROVAL  # type: ignore[union-attr]


async def test_refused_photo_leaves_no_product(client: httpx.AsyncClient, factory: Factory) -> None:
    shop = await factory.business(await factory.user("owner"))
    await web_login(client, await factory.member(shop, BusinessRole.EDITOR))
    page = await client.get(f"/seller/{shop.id}/products/new")
    response = await client.post(
        f"/seller/{shop.id}/products",
        data={
            "title": "Diya",
            "price": "10",
            "currency": "INR",
            "sku": "D-2",
            "stock": "1",
            "csrf_token": csrf_of(page.text),
        },
        files={"photo": ("notes.txt", b"not an image at all", "image/jpeg")},
    )
    assert response.status_code == 415
    assert "PNG, JPEG, GIF or WEBP" in response.text
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Product)) == 0


async def test_bad_price_is_marked(client: httpx.AsyncClient, factory: Factory) -> None:
    shop = await factory.business(await factory.user("owner"))
    await web_login(client, await factory.member(shop, BusinessRole.EDITOR))
    page = await client.get(f"/seller/{shop.id}/products/new")
    response = await client.post(
        f"/seller/{shop.id}/products",
        data={
            "title": "Diya",
            "price": "ten",
            "currency": "INR",
            "sku": "D-3",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 422
    assert 'id="f-price"' in response.text and 'aria-describedby="e-price"' in response.text


async def test_rejection_reason_is_shown_to_the_seller(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner)
    product = await factory.product(shop, status=ProductStatus.PENDING_APPROVAL)
    approver = await factory.member(shop, BusinessRole.APPROVER)
    await web_login(client, approver)
    page = await client.get(f"/seller/{shop.id}/products/{product.id}")
    assert "/reject" in page.text and "/approve" in page.text and "/submit" not in page.text
    short = await client.post(
        f"/seller/{shop.id}/products/{product.id}/reject",
        data={"reason": "no", "csrf_token": csrf_of(page.text)},
    )
    assert short.status_code == 422
    rejected = await client.post(
        f"/seller/{shop.id}/products/{product.id}/reject",
        data={"reason": "Blurry photo", "csrf_token": csrf_of(page.text)},
    )
    assert rejected.status_code == 303
    listing = await client.get(f"/seller/{shop.id}/products?status=rejected")
    assert "Blurry photo" in listing.text


async def test_khata_two_taps_and_share_link(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner, name="Swati Jewellers")
    await web_login(client, owner)
    page = await client.get(f"/seller/{shop.id}/khata")
    added = await client.post(
        f"/seller/{shop.id}/khata/customers",
        data={
            "name": "Meena",
            "phone": "+91 98123 45678",
            "preferred_language": "hi",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert added.status_code == 303
    customer_url = added.headers["location"]
    page = await client.get(customer_url)
    csrf = csrf_of(page.text)
    credit = await client.post(
        customer_url + "/entries",
        data={"amount": "1500", "entry": "credit", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert credit.status_code == 200
    assert 'data-balance-minor="150000"' in credit.text
    payment = await client.post(
        customer_url + "/entries", data={"amount": "500.50", "entry": "upi", "csrf_token": csrf}
    )
    assert payment.status_code == 303
    page = await client.get(customer_url)
    assert 'data-balance-minor="99950"' in page.text
    empty = await client.post(
        customer_url + "/entries",
        data={"amount": "", "entry": "credit", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422
    pdf = await client.get(customer_url + "/statement.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = await client.get(customer_url + "/statement.csv")
    assert "credit" in csv.text
    share = re.search(r'data-share-url="([^"]+)"', page.text)
    assert share
    anonymous = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with anonymous:
        shared = await anonymous.get(share.group(1))
        assert shared.status_code == 200 and "Meena" in shared.text
        assert (await anonymous.get(share.group(1) + "/statement.pdf")).status_code == 200
        tampered = share.group(1)[:-2] + ("AA" if not share.group(1).endswith("AA") else "BB")
        assert (await anonymous.get(tampered)).status_code == 404
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Customer)) == 1


async def test_admin_bulk_approval_reports_the_ones_taken(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    shop = await factory.business(await factory.user("owner"))
    waiting = [
        await factory.product(shop, status=ProductStatus.PENDING_APPROVAL, title=f"Pot {i}")
        for i in range(3)
    ]
    done = await factory.product(shop, status=ProductStatus.APPROVED, title="Sold pot")
    await web_login(client, await factory.user("staff", role=PlatformRole.ADMIN))
    queue = await client.get("/admin/queue")
    assert all(p.title in queue.text for p in waiting) and "Sold pot" not in queue.text
    ids = [("product_id", str(p.id)) for p in waiting[:2]] + [("product_id", str(done.id))]
    body = urlencode([*ids, ("action", "approve"), ("csrf_token", csrf_of(queue.text))])
    response = await client.post(
        "/admin/queue",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 303
    after = await client.get("/admin/queue")
    assert "2 products approved." in after.text
    assert "1 product was not changed" in after.text
    assert "Pot 2" in after.text and "Pot 0" not in after.text
    no_reason = await client.post(
        "/admin/queue",
        data={
            "product_id": str(waiting[2].id),
            "action": "reject",
            "csrf_token": csrf_of(after.text),
        },
    )
    assert no_reason.status_code == 303
    async with factory.session() as s:
        still = await s.get(Product, waiting[2].id)
        assert still is not None and still.status == ProductStatus.PENDING_APPROVAL


async def test_admin_users_and_figures(client: httpx.AsyncClient, factory: Factory) -> None:
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    lena = await factory.user("lena")
    await web_login(client, staff)
    page = await client.get("/admin/users", params={"q": "lena"})
    assert lena.user.email in page.text and staff.user.email not in page.text
    r = await client.post(
        f"/admin/users/{lena.id}",
        data={"platform_role": "seller", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 303
    own = await client.post(
        f"/admin/users/{staff.id}", data={"active": "no", "csrf_token": csrf_of(page.text)}
    )
    assert own.status_code == 303
    assert "You cannot change your own account here." in (await client.get("/admin/users")).text
    figures = await client.get("/admin/figures")
    assert figures.status_code == 200
    assert 'type="application/json" id="figures-data"' in figures.text
    assert "plotly-haat.min.js" in figures.text
    home = (await client.get("/")).text
    assert "plotly" not in home
    # No hx- attribute on the figures page, so it goes without htmx; other pages have it.
    assert "htmx.min.js" in home and "htmx.min.js" not in figures.text
    assert " hx-" not in figures.text.split("<body", 1)[1].split(">", 1)[1]


async def test_figures_page_data_and_weight(client: httpx.AsyncClient, factory: Factory) -> None:
    """The chart data keeps the service's status order (the template's JSON sorts object keys);
    the page, with every stylesheet and script it links, is within issue 4's 300 KB as sent
    with gzip alone (what bench/web_pages.py measures), not only with Brotli."""
    await web_login(client, await factory.user("staff", role=PlatformRole.ADMIN))
    page = await client.get("/admin/figures", headers={"Accept-Encoding": "gzip"})
    block = re.search(r'id="figures-data">(.*?)</script>', page.text, re.S)
    assert block
    data = json.loads(block.group(1))["data"]
    assert [s for s, _ in data["products_by_status"]] == [s.value for s in ProductStatus]
    assert [s for s, _ in data["orders_by_status"]] == [s.value for s in OrderStatus]
    assert data["months"] == sorted(data["months"]) and len(data["months"]) == 12
    assert 'id="chart-gmv"' not in page.text  # nothing sold: no GMV chart
    assets = set(
        re.findall(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href)="([^"]+)"', page.text)
    )
    assert any("plotly-haat.min.js" in a for a in assets) and any("figures.js" in a for a in assets)
    total = page.num_bytes_downloaded
    for src in assets:
        asset = await client.get(src, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip", src
        total += asset.num_bytes_downloaded
    assert total <= 300_000, total


async def test_language_negotiation_and_switcher(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    hindi = await client.get("/", headers={"Accept-Language": "hi-IN,hi;q=0.9"})
    assert '<html lang="hi-IN" dir="ltr">' in hindi.text and "उत्पाद खोजें" in hindi.text
    kashmiri = await client.get("/", headers={"Accept-Language": "ks"})
    assert '<html lang="ks-Arab" dir="rtl">' in kashmiri.text
    user = await factory.user("lena", language="de")
    await web_login(client, user)
    german = await client.get("/", headers={"Accept-Language": "hi"})
    assert 'lang="de"' in german.text  # the profile wins over the browser
    csrf = csrf_of(german.text)
    await client.post("/language", data={"language": "ja", "next": "/cart", "csrf_token": csrf})
    assert 'lang="ja"' in (await client.get("/")).text
    async with factory.session() as s:
        from haat.identity.models import User

        assert (await s.get(User, user.id)).preferred_language == "ja"  # type: ignore[union-attr]


async def test_otp_login_through_the_pages(client: httpx.AsyncClient, sms: CapturingSms) -> None:
    csrf = await token(client)
    sent = await client.post("/login/otp", data={"phone": "+91 98123 45678", "csrf_token": csrf})
    assert sent.status_code == 200 and 'name="code"' in sent.text
    code = sms.last_code("+919812345678")
    wrong = await client.post(
        "/login/otp/verify",
        data={"phone": "+919812345678", "code": "000000", "csrf_token": csrf_of(sent.text)},
    )
    assert wrong.status_code == 401
    ok = await client.post(
        "/login/otp/verify",
        data={"phone": "+919812345678", "code": code, "csrf_token": csrf_of(wrong.text)},
    )
    assert ok.status_code == 303
    assert (await client.get("/orders")).status_code == 200
    bad_phone = await client.post("/login/otp", data={"phone": "12", "csrf_token": csrf})
    assert bad_phone.status_code in (403, 422)


async def test_signup(client: httpx.AsyncClient) -> None:
    csrf = await token(client, "/signup")
    short = await client.post(
        "/signup",
        data={
            "full_name": "Asha",
            "email": "asha@example.com",
            "password": "short",
            "csrf_token": csrf,
        },
    )
    assert short.status_code == 422
    made = await client.post(
        "/signup",
        data={
            "full_name": "Asha",
            "email": "asha@example.com",
            "password": "long enough pass",
            "csrf_token": csrf_of(short.text),
        },
    )
    assert made.status_code == 303
    assert (await client.get("/orders")).status_code == 200


def test_figures_months_are_the_twelve_utc_months_to_as_of() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    months = admin_routes._months(datetime(2026, 1, 1, 2, 0, tzinfo=ist))  # 2025-12-31 in UTC
    assert months[0] == "2025-01" and months[-1] == "2025-12" and len(months) == 12
    assert admin_routes._months(datetime(2026, 3, 5, tzinfo=UTC))[:3] == [
        "2025-04",
        "2025-05",
        "2025-06",
    ]
