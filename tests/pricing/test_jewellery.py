"""`/api/products/{id}/jewellery`: who may price a piece, fineness per metal, the breakdown
in the public product output, and the price that follows the rate."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Factory
from tests.pricing.conftest import add_rate, days_ago, put_jewellery


@pytest.fixture
async def gold(client: httpx.AsyncClient, shop: dict[str, Any]) -> None:
    assert (await add_rate(client, shop["admin"], "gold", 712345, days_ago(3))).status_code == 201


async def test_editor_prices_a_chain_from_the_gold_rate(
    client: httpx.AsyncClient, shop: dict[str, Any], gold: None
) -> None:
    chain = shop["chain"]
    r = await put_jewellery(client, shop["editor"], chain)
    assert r.status_code == 200, r.text
    j = r.json()
    assert (j["metal"], j["purity"], j["weight_mg"], j["weight_g"]) == (
        "gold",
        916,
        10250,
        "10.250",
    )
    assert (j["rate_minor_per_g"], j["rate_as_of"]) == (712345, days_ago(3).isoformat())
    assert j["rate_source"] == "test rate"
    assert j["metal_value_minor"] == 6_688_207
    assert j["making_charge_minor"] == 802_585
    assert j["subtotal_minor"] == 7_490_792
    assert (j["gst_rate_bp"], j["gst_minor"], j["total_minor"]) == (300, 224_724, 7_715_516)
    # The public product shows the same breakdown, and its price is the subtotal.
    product = (await client.get(f"/api/products/{chain.id}")).json()
    assert product["price_minor"] == 7_490_792
    assert product["jewellery"]["total_minor"] == 7_715_516
    listed = (await client.get("/api/products", params={"business": str(chain.business_id)})).json()
    (item,) = [p for p in listed["items"] if p["id"] == str(chain.id)]
    assert item["jewellery"]["gst_minor"] == 224_724
    # Members of the business read it back.
    for who in ("owner", "viewer", "admin"):
        got = await client.get(f"/api/products/{chain.id}/jewellery", headers=shop[who].headers)
        assert got.status_code == 200 and got.json()["subtotal_minor"] == 7_490_792, who


async def test_making_charge_per_gram(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory
) -> None:
    await add_rate(client, shop["admin"], "silver", 9550, days_ago(1))
    r = await put_jewellery(
        client,
        shop["owner"],
        shop["chain"],
        metal="silver",
        purity=925,
        weight_g="50",
        making_charge_bp=None,
        making_charge_per_g_minor=4000,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["metal_value_minor"], r.json()["making_charge_minor"]) == (441_688, 200_000)
    assert (r.json()["gst_minor"], r.json()["total_minor"]) == (19_251, 660_939)


async def test_who_may_price(client: httpx.AsyncClient, shop: dict[str, Any], gold: None) -> None:
    chain, draft = shop["chain"], shop["draft"]
    assert (await put_jewellery(client, shop["buyer"], chain)).status_code == 403
    assert (await put_jewellery(client, shop["viewer"], chain)).status_code == 403
    assert (await put_jewellery(client, shop["rival"], chain)).status_code == 403
    assert (await put_jewellery(client, shop["admin"], chain)).status_code == 403
    # A draft of another business does not exist for them.
    assert (await put_jewellery(client, shop["rival"], draft)).status_code == 404
    assert (await put_jewellery(client, shop["buyer"], draft)).status_code == 404
    assert (await client.put(f"/api/products/{chain.id}/jewellery", json={})).status_code == 401
    assert (await put_jewellery(client, shop["editor"], draft)).status_code == 200
    url = f"/api/products/{chain.id}/jewellery"
    assert (await client.get(url, headers=shop["buyer"].headers)).status_code == 403
    assert (await client.get(url, headers=shop["editor"].headers)).status_code == 404  # not priced
    other = f"/api/products/{draft.id}/jewellery"
    assert (await client.get(other, headers=shop["rival"].headers)).status_code == 404
    assert (await client.delete(other, headers=shop["buyer"].headers)).status_code == 404
    assert (await client.delete(other, headers=shop["editor"].headers)).status_code == 204
    assert (await client.get(other, headers=shop["editor"].headers)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"metal": "gold", "purity": 925}, "purity"),
        ({"metal": "gold", "purity": 1000}, "purity"),
        ({"metal": "silver", "purity": 916}, "purity"),
        ({"metal": "silver", "purity": 750}, "purity"),
        ({"metal": "platinum", "purity": 999}, "purity"),
        ({"metal": "copper", "purity": 999}, "metal"),
        ({"weight_g": "0"}, "weight_g"),
        ({"weight_g": "1.0005"}, "weight_g"),
        ({"weight_g": "100001"}, "weight_g"),
        ({"making_charge_bp": -1}, "making_charge_bp"),
        ({"making_charge_per_g_minor": 100}, None),  # both making charges
        ({"making_charge_bp": None}, None),  # neither
    ],
)
async def test_spec_validation(
    client: httpx.AsyncClient,
    shop: dict[str, Any],
    gold: None,
    body: dict[str, object],
    field: str | None,
) -> None:
    r = await put_jewellery(client, shop["editor"], shop["chain"], **body)
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    if field is not None:
        assert [e["loc"] for e in errors] == [["body", field]], errors
    else:
        assert "making_charge" in errors[0]["msg"]


@pytest.mark.parametrize(
    ("metal", "purity"), [("gold", 999), ("gold", 585), ("silver", 999), ("platinum", 950)]
)
async def test_allowed_fineness(
    client: httpx.AsyncClient, shop: dict[str, Any], metal: str, purity: int
) -> None:
    await add_rate(client, shop["admin"], metal, 100000, days_ago(1))
    r = await put_jewellery(client, shop["editor"], shop["chain"], metal=metal, purity=purity)
    assert r.status_code == 200, r.text


async def test_no_rate_and_wrong_currency_are_conflicts(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory, gold: None
) -> None:
    r = await put_jewellery(client, shop["editor"], shop["chain"], metal="platinum", purity=950)
    assert r.status_code == 409 and r.json()["type"] == "no_metal_rate"
    dollars = await factory.product(shop["business"], title="Export chain", currency="USD")
    r = await put_jewellery(client, shop["editor"], dollars)
    assert r.status_code == 409 and r.json()["type"] == "jewellery_not_in_inr"


async def test_price_of_jewellery_is_not_edited_by_hand(
    client: httpx.AsyncClient, shop: dict[str, Any], gold: None
) -> None:
    chain = shop["chain"]
    await put_jewellery(client, shop["editor"], chain)
    url = f"/api/products/{chain.id}"
    r = await client.patch(url, json={"price_minor": 100}, headers=shop["editor"].headers)
    assert r.status_code == 409 and r.json()["type"] == "price_follows_metal_rate"
    r = await client.patch(
        url, json={"title": "22K rope chain, 20 in"}, headers=shop["editor"].headers
    )
    assert r.status_code == 200 and r.json()["price_minor"] == 7_490_792


async def test_a_new_spec_goes_back_to_approval_where_required(
    client: httpx.AsyncClient, shop: dict[str, Any], factory: Factory, gold: None
) -> None:
    ring = await factory.product(shop["rival_business"], title="18K ring")
    r = await put_jewellery(client, shop["rival"], ring, purity=750)
    assert r.status_code == 200
    product = (await client.get(f"/api/products/{ring.id}", headers=shop["rival"].headers)).json()
    assert product["status"] == "pending_approval"
