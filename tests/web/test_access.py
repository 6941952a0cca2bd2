"""Who may open which page: anonymous visitors are sent to log in, other businesses' back
offices are 404, the admin console is 403 for everyone but platform admins."""

from __future__ import annotations

import httpx
import pytest

from haat.businesses.models import BusinessRole
from haat.identity.models import PlatformRole
from tests.conftest import Factory
from tests.web.conftest import web_login

ACCOUNT_PAGES = ["/cart", "/checkout", "/orders", "/favorites", "/seller"]
ADMIN_PAGES = ["/admin", "/admin/queue", "/admin/users", "/admin/businesses", "/admin/figures"]


@pytest.mark.parametrize("path", ACCOUNT_PAGES + ADMIN_PAGES)
async def test_anonymous_visitors_are_sent_to_log_in(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize(
    "path", ["/", "/search", "/search?q=vase&sort=price_asc", "/login", "/signup"]
)
async def test_public_pages(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ADMIN_PAGES[1:])
async def test_admin_console_is_for_platform_admins(
    client: httpx.AsyncClient, factory: Factory, path: str
) -> None:
    seller = await factory.user("seller", role=PlatformRole.SELLER)
    await web_login(client, seller)
    assert (await client.get(path)).status_code == 403
    admin_client = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with admin_client:
        await web_login(admin_client, await factory.user("staff", role=PlatformRole.ADMIN))
        assert (await admin_client.get(path)).status_code == 200


async def test_seller_portal_per_role(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner, name="Swati Jewellers")
    other = await factory.business(await factory.user("other"), name="Other Shop")
    viewer = await factory.member(shop, BusinessRole.VIEWER)
    await web_login(client, viewer)
    base = f"/seller/{shop.id}"
    for page in ("/products", "/orders", "/khata", "/members"):
        assert (await client.get(base + page)).status_code == 200, page
    # A viewer reads but gets no editing controls, and the service refuses the form.
    assert (await client.get(base + "/products")).text.count("/products/new") == 0
    new = await client.get(base + "/products/new")
    assert new.status_code == 200  # the form shows; saving it is refused below
    from tests.web.conftest import csrf_of

    refused = await client.post(
        base + "/products",
        data={
            "title": "Ring",
            "price": "10",
            "currency": "INR",
            "sku": "R-1",
            "stock": "1",
            "csrf_token": csrf_of(new.text),
        },
    )
    assert refused.status_code == 403
    # Another business's back office does not exist for this member.
    for page in ("/products", "/orders", "/khata", "/members"):
        assert (await client.get(f"/seller/{other.id}{page}")).status_code == 404
    assert (
        await client.get("/seller/00000000-0000-0000-0000-000000000000/khata")
    ).status_code == 404


async def test_members_page_manage_controls_for_admins_only(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    shop = await factory.business(owner)
    editor = await factory.member(shop, BusinessRole.EDITOR)
    await web_login(client, editor)
    page = await client.get(f"/seller/{shop.id}/members")
    assert 'name="identifier"' not in page.text
    owner_client = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with owner_client:
        await web_login(owner_client, owner)
        page = await owner_client.get(f"/seller/{shop.id}/members")
        assert 'name="identifier"' in page.text


async def test_unknown_page_is_an_html_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    api = await client.get("/api/no-such-thing")
    assert api.headers["content-type"] == "application/problem+json"


async def test_other_buyers_orders_are_404(client: httpx.AsyncClient, factory: Factory) -> None:
    from haat.commerce import cart, checkout
    from haat.commerce.schemas import CheckoutIn

    shop = await factory.business(await factory.user("potter"))
    vase = await factory.product(shop)
    buyer = await factory.user("buyer")
    async with factory.session() as s:
        await cart.add_item(s, buyer.actor, vase.id, 1)
        body = CheckoutIn.model_validate(
            {"delivery_address": {"name": "A", "line1": "B", "city": "C", "country": "IN"}}
        )
        orders, _ = await checkout.checkout(s, buyer.actor, body, "key-123456")
        await s.commit()
    await web_login(client, await factory.user("nosy"))
    assert (await client.get(f"/orders/{orders[0].id}")).status_code == 404
