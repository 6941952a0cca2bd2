"""The seller portal's "Jewellery pricing" section over HTTP: set, change and stop pricing a
product from the metal rate, every refusal shown on the page, and who may do it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from haat.businesses.models import Business, BusinessKind, BusinessRole
from haat.catalog import categories
from haat.catalog.models import Metal, Product, ProductJewellery, ProductStatus
from haat.core.db import utcnow
from haat.identity.models import PlatformRole
from haat.pricing.jewellery import price
from haat.pricing.models import MetalRate
from tests.conftest import Factory
from tests.web.conftest import csrf_of, web_login

GOLD_RATE = 1290823  # paise per gram of fine gold
SPEC = {
    "metal": "gold",
    "purity": "916",
    "weight_g": "10.250",
    "making_kind": "percent",
    "making_amount": "12.5",
}


async def _gold_rate(factory: Factory) -> None:
    async with factory.session() as s:
        s.add(
            MetalRate(
                metal=Metal.GOLD,
                as_of=utcnow().date(),
                rate_minor_per_g=GOLD_RATE,
                source="test rate",
            )
        )
        await s.commit()


@pytest.fixture
async def shop(factory: Factory) -> dict[str, Any]:
    owner = await factory.user("jeweller")
    business = await factory.business(
        owner, name="Mehta Gold", kind=BusinessKind.JEWELLERY_SHOP, requires_approval=False
    )
    await _gold_rate(factory)
    return {
        "owner": owner,
        "business": business,
        "product": await factory.product(business, title="22K rope chain", price_minor=100),
    }


def _url(business: Business, product: Product, tail: str = "") -> str:
    return f"/seller/{business.id}/products/{product.id}{tail}"


async def _post(
    client: httpx.AsyncClient, business: Business, product: Product, tail: str, data: dict[str, str]
) -> httpx.Response:
    page = await client.get(_url(business, product))
    assert page.status_code == 200, page.text
    return await client.post(
        _url(business, product, tail), data={**data, "csrf_token": csrf_of(page.text)}
    )


async def _stored(factory: Factory, product: Product) -> tuple[Product, ProductJewellery | None]:
    async with factory.session() as s:
        found = await s.get(Product, product.id)
        assert found is not None
        return found, await s.get(ProductJewellery, product.id)


async def test_jeweller_sets_changes_and_stops_pricing(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    business, product = shop["business"], shop["product"]
    await web_login(client, shop["owner"])
    page = await client.get(_url(business, product))
    assert 'id="jewellery-heading"' in page.text
    form = page.text.split('class="jewellery-form"', 1)[1].split("</form>", 1)[0]
    assert 'autocomplete="off"' in form and "<legend>Making charge</legend>" in form
    assert re.search(r'id="j-weight"[^>]*inputmode="decimal"', form)
    assert '<optgroup label="Silver" data-metal="silver">' in form  # every grade, by metal
    assert "Stop pricing from the metal rate" not in page.text  # nothing to stop yet

    saved = await _post(client, business, product, "/jewellery", SPEC)
    assert saved.status_code == 303, saved.text
    expected = price(GOLD_RATE, 10_250, 916, making_charge_bp=1250)
    stored, row = await _stored(factory, product)
    assert row is not None and (row.weight_mg, row.making_charge_bp) == (10_250, 1250)
    assert row.making_charge_per_g_minor is None
    assert stored.price_minor == expected.subtotal_minor
    shown = await client.get(saved.headers["location"])
    flash = (
        f"the price is now ₹{expected.subtotal_minor // 100:,}.{expected.subtotal_minor % 100:02d}"
    )
    assert flash in shown.text
    assert "12.5%" in shown.text  # the making charge's percentage, not rounded to 12 %
    rupees = f"{expected.subtotal_minor // 100}.{expected.subtotal_minor % 100:02d}"
    assert f'value="{rupees}"' in shown.text and "readonly" in shown.text  # the price field
    assert 'id="j-weight"' in shown.text and 'value="10.250"' in shown.text

    changed = await _post(
        client,
        business,
        product,
        "/jewellery",
        {**SPEC, "weight_g": "8.4", "making_kind": "per_gram", "making_amount": "950.50"},
    )
    assert changed.status_code == 303, changed.text
    expected = price(GOLD_RATE, 8_400, 916, making_charge_per_g_minor=95_050)
    stored, row = await _stored(factory, product)
    assert row is not None and (row.weight_mg, row.making_charge_per_g_minor) == (8_400, 95_050)
    assert row.making_charge_bp is None and stored.price_minor == expected.subtotal_minor

    stopped = await _post(client, business, product, "/jewellery/remove", {})
    assert stopped.status_code == 303
    stored, row = await _stored(factory, product)
    assert row is None and stored.price_minor == expected.subtotal_minor  # kept, now fixed
    page = await client.get(_url(business, product))
    assert "Stop pricing from the metal rate" not in page.text and "readonly" not in page.text


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"metal": "silver"}, "purity", "Silver is hallmarked at 999, 925 parts per thousand"),
        ({"metal": "copper"}, "metal", "Choose gold, silver or platinum."),
        ({"purity": "900"}, "purity", "Gold is hallmarked at 999, 916, 750, 585 parts"),
        ({"weight_g": "10.2505"}, "weight_g", "with up to 3 decimals (for example 10.250)"),
        ({"weight_g": "0"}, "weight_g", "more than 0 and at most 100,000"),
        ({"weight_g": "ten"}, "weight_g", "Enter the weight in grams"),
        ({"making_amount": "12.345"}, "making_amount", "Enter a percentage from 0 to 1,000"),
        ({"making_amount": "-1"}, "making_amount", "Enter a percentage from 0 to 1,000"),
        (
            {"making_kind": "per_gram", "making_amount": "950.555"},
            "making_amount",
            "Enter rupees a gram with up to 2 decimals",
        ),
        ({"making_kind": ""}, "making_kind", "Choose a percentage or rupees a gram."),
    ],
)
async def test_bad_spec_is_explained_next_to_its_field(
    client: httpx.AsyncClient,
    factory: Factory,
    shop: dict[str, Any],
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    business, product = shop["business"], shop["product"]
    await web_login(client, shop["owner"])
    response = await _post(client, business, product, "/jewellery", {**SPEC, **change})
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="je-{field}">([^<]*)</p>', response.text)
    assert error and message in error.group(1), response.text
    assert f'aria-describedby="je-{field}' in response.text
    assert "Some fields are not valid." in response.text
    stored, row = await _stored(factory, product)
    assert row is None and stored.price_minor == 100


async def test_numbers_are_read_as_the_pages_language_writes_them(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    business, product = shop["business"], shop["product"]
    helper = await factory.member(business, BusinessRole.EDITOR)
    async with factory.session() as s:
        from haat.identity.models import User

        user = await s.get(User, helper.id)
        assert user is not None
        user.preferred_language = "de"
        await s.commit()
    await web_login(client, helper)
    saved = await _post(
        client,
        business,
        product,
        "/jewellery",
        {**SPEC, "weight_g": "10,25", "making_amount": "12,5"},
    )
    assert saved.status_code == 303, saved.text
    _, row = await _stored(factory, product)
    assert row is not None and (row.weight_mg, row.making_charge_bp) == (10_250, 1250)
    page = await client.get(_url(business, product))
    assert 'value="10,250"' in page.text and 'value="12,5"' in page.text


async def test_a_metal_without_a_rate_is_a_message_not_an_error(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    business, product = shop["business"], shop["product"]
    await web_login(client, shop["owner"])
    response = await _post(
        client, business, product, "/jewellery", {**SPEC, "metal": "platinum", "purity": "950"}
    )
    assert response.status_code == 409
    assert "No rate has been entered for this metal yet" in response.text
    assert 'id="jewellery-heading"' in response.text  # the product page, with the form refilled
    assert '<option value="platinum" selected>' in response.text
    _, row = await _stored(factory, product)
    assert row is None


async def test_a_product_in_another_currency_is_refused(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    business = shop["business"]
    stone = await factory.product(business, title="Loose diamond", currency="USD")
    await web_login(client, shop["owner"])
    response = await _post(client, business, stone, "/jewellery", SPEC)
    assert response.status_code == 409
    assert "change the product&#39;s currency to INR first" in response.text


@pytest.mark.parametrize("role", [BusinessRole.VIEWER, BusinessRole.APPROVER])
async def test_members_without_the_editing_role_are_refused(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any], role: BusinessRole
) -> None:
    """They see the pricing but no form; posting anyway is the service's 403, on the page."""
    business, product = shop["business"], shop["product"]
    await web_login(client, shop["owner"])
    assert (await _post(client, business, product, "/jewellery", SPEC)).status_code == 303
    _, before = await _stored(factory, product)
    assert before is not None
    member = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with member:
        await web_login(member, await factory.member(business, role))
        page = await member.get(_url(business, product))
        assert "Price breakdown" in page.text and 'class="jewellery-form"' not in page.text
        for tail, data in (
            ("/jewellery", {**SPEC, "weight_g": "1"}),
            ("/jewellery/remove", {}),
        ):
            refused = await _post(member, business, product, tail, data)
            assert refused.status_code == 403
            assert "Your role does not allow this." in refused.text
            assert 'id="jewellery-heading"' in refused.text
    _, after = await _stored(factory, product)
    assert after is not None and after.weight_mg == before.weight_mg == 10_250


async def test_platform_admin_may_look_but_not_price(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    business, product = shop["business"], shop["product"]
    await web_login(client, await factory.user("staff", role=PlatformRole.ADMIN))
    refused = await _post(client, business, product, "/jewellery", SPEC)
    assert refused.status_code == 403 and "Your role does not allow this." in refused.text
    _, row = await _stored(factory, product)
    assert row is None


async def test_another_business_and_anonymous_are_refused(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    business, product = shop["business"], shop["product"]
    draft = await factory.product(business, title="Draft ring", status=ProductStatus.DRAFT)
    rival_owner = await factory.user("rival")
    rival = await factory.business(rival_owner, name="Rival Gold", kind=BusinessKind.JEWELLERY_SHOP)
    rival_piece = await factory.product(rival, title="Rival bangle")
    await web_login(client, rival_owner)
    csrf = csrf_of((await client.get(_url(rival, rival_piece))).text)
    attempts = [
        # The other business's portal: not theirs, so it does not exist for them.
        (_url(business, product, "/jewellery"), 404),
        (_url(business, product, "/jewellery/remove"), 404),
        # Their own portal with the other business's products: refused by the service, and
        # not found in this portal, public or not.
        (f"/seller/{rival.id}/products/{product.id}/jewellery", 404),
        (f"/seller/{rival.id}/products/{draft.id}/jewellery", 404),
        (f"/seller/{rival.id}/products/{product.id}/jewellery/remove", 404),
    ]
    for path, status in attempts:
        response = await client.post(path, data={**SPEC, "csrf_token": csrf})
        assert response.status_code == status, (path, response.text)
        assert "Something went wrong" not in response.text
    for piece in (product, draft):
        _, row = await _stored(factory, piece)
        assert row is None
    anonymous = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with anonymous:
        csrf = csrf_of((await anonymous.get("/")).text)
        response = await anonymous.post(
            _url(business, product, "/jewellery"), data={**SPEC, "csrf_token": csrf}
        )
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    _, row = await _stored(factory, product)
    assert row is None


async def test_section_only_where_jewellery_makes_sense(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    """A jewellery shop's products, any business's products in the Jewellery category
    tree, and products already priced from the rate; not a potter's vase."""
    owner = await factory.user("potter")
    workshop = await factory.business(owner, kind=BusinessKind.ARTISAN_WORKSHOP)
    async with factory.session() as s:
        rings = await categories.get_or_create_path(s, ["Jewellery", "Rings"])
        pottery = await categories.get_or_create_path(s, ["Pottery"])
        await s.commit()
    vase = await factory.product(workshop, title="Vase", category_id=pottery.id)
    plain = await factory.product(workshop, title="Plain bowl")
    ring = await factory.product(workshop, title="Silver ring", category_id=rings.id)
    await web_login(client, owner)
    for piece, offered in ((vase, False), (plain, False), (ring, True)):
        page = await client.get(_url(workshop, piece))
        assert ('id="jewellery-heading"' in page.text) is offered, piece.title
    refused = await _post(client, workshop, vase, "/jewellery", SPEC)  # no rate yet
    assert refused.status_code == 409  # not offered there, but the refusal is still said
    assert "No rate has been entered for this metal yet" in refused.text
    await _gold_rate(factory)
    assert (await _post(client, workshop, ring, "/jewellery", SPEC)).status_code == 303
    async with factory.session() as s:
        moved = await s.get(Product, ring.id)
        assert moved is not None
        moved.category_id = pottery.id
        await s.commit()
    page = await client.get(_url(workshop, ring))  # priced from the rate: still offered
    assert "Stop pricing from the metal rate" in page.text


async def test_change_sends_an_approved_product_back_for_approval(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("jeweller")
    business = await factory.business(owner, kind=BusinessKind.JEWELLERY_SHOP)
    await _gold_rate(factory)
    product = await factory.product(business, title="Kada")
    await web_login(client, owner)
    page = await client.get(_url(business, product))
    form = page.text.split('class="jewellery-form"', 1)[1]
    assert "sends the product back for approval" in form.split("</form>", 1)[0]
    assert (await _post(client, business, product, "/jewellery", SPEC)).status_code == 303
    stored, _ = await _stored(factory, product)
    assert stored.status == ProductStatus.PENDING_APPROVAL
