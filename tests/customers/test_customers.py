"""`/api/customers`: creating, listing, searching, editing and archiving customers, and who may."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.customers.conftest import PROBLEM, customer_body, error_fields, new_customer


async def test_editor_creates_a_customer(client: httpx.AsyncClient, shop: dict) -> None:
    c = await new_customer(client, shop["editor"], shop["business"].id)
    assert c["phone"] == "+919812345678"  # normalised to E.164
    assert c["preferred_language"] == "hi" and c["archived"] is False
    assert c["business_id"] == str(shop["business"].id)
    r = await client.get(f"/api/customers/{c['id']}", headers=shop["viewer"].headers)
    assert r.status_code == 200 and r.json()["name"] == "Meena Sharma"


async def test_language_defaults_to_english(client: httpx.AsyncClient, shop: dict) -> None:
    body = customer_body(shop["business"].id)
    del body["preferred_language"], body["email"]
    r = await client.post("/api/customers", json=body, headers=shop["admin"].headers)
    assert r.status_code == 201
    assert r.json()["preferred_language"] == "en" and r.json()["email"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "+91 00000"}, "phone"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"email": "not-an-email"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"business_id": "nope"}, "business_id"),
        ({"notes": "n" * 2001}, "notes"),
    ],
)
async def test_create_validation(
    client: httpx.AsyncClient, shop: dict, overrides: dict, field: str
) -> None:
    r = await client.post(
        "/api/customers",
        json=customer_body(shop["business"].id, **overrides),
        headers=shop["editor"].headers,
    )
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    assert field in error_fields(r), r.json()


async def test_phone_unique_per_business(client: httpx.AsyncClient, shop: dict) -> None:
    await new_customer(client, shop["editor"], shop["business"].id)
    # The same number written differently is the same phone.
    r = await client.post(
        "/api/customers",
        json=customer_body(shop["business"].id, phone="+919812345678", name="Other"),
        headers=shop["editor"].headers,
    )
    assert r.status_code == 409 and r.json()["type"] == "customer_phone_taken"
    # Another business may have a customer with the same phone.
    await new_customer(client, shop["outsider"], shop["other_business"].id)


async def test_patch_changes_fields_and_checks_phone(client: httpx.AsyncClient, shop: dict) -> None:
    a = await new_customer(client, shop["editor"], shop["business"].id)
    b = await new_customer(client, shop["editor"], shop["business"].id, phone="+919812345679")
    url = f"/api/customers/{a['id']}"
    r = await client.patch(
        url,
        json={"address": "Bapu Bazaar", "preferred_language": "ta", "email": None, "name": None},
        headers=shop["editor"].headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["address"] == "Bapu Bazaar" and r.json()["preferred_language"] == "ta"
    assert r.json()["email"] is None and r.json()["name"] == "Meena Sharma"
    r = await client.patch(url, json={"phone": b["phone"]}, headers=shop["editor"].headers)
    assert r.status_code == 409
    r = await client.patch(url, json={"phone": "abc"}, headers=shop["editor"].headers)
    assert r.status_code == 422 and "phone" in error_fields(r)


async def test_no_hard_delete(client: httpx.AsyncClient, shop: dict) -> None:
    c = await new_customer(client, shop["admin"], shop["business"].id)
    r = await client.delete(f"/api/customers/{c['id']}", headers=shop["admin"].headers)
    assert r.status_code == 405


async def test_list_search_archive_and_pages(client: httpx.AsyncClient, shop: dict) -> None:
    business = shop["business"].id
    names = ["Anil Kumar", "Meena Sharma", "Ravi Verma", "Sunita Devi", "Asha 100%"]
    ids = {}
    for i, name in enumerate(names):
        c = await new_customer(
            client, shop["editor"], business, name=name, phone=f"+9198123456{i:02d}"
        )
        ids[name] = c["id"]
    await new_customer(client, shop["outsider"], shop["other_business"].id, name="Anil Other")

    async def listing(**params: Any) -> dict[str, Any]:
        r = await client.get(
            "/api/customers",
            params={"business": str(business), **params},
            headers=shop["viewer"].headers,
        )
        assert r.status_code == 200, r.text
        return r.json()

    page = await listing()
    assert [c["name"] for c in page["items"]] == sorted(names)
    assert page["total"] == 5
    assert [c["name"] for c in (await listing(search="sHaRmA"))["items"]] == ["Meena Sharma"]
    assert [c["name"] for c in (await listing(search="anil"))["items"]] == ["Anil Kumar"]
    by_phone = await listing(search="98123 45602")
    assert [c["name"] for c in by_phone["items"]] == ["Ravi Verma"]
    assert [c["name"] for c in (await listing(search="%"))["items"]] == ["Asha 100%"]
    second = await listing(page=2, per_page=2)
    assert second["pages"] == 3 and len(second["items"]) == 2

    r = await client.patch(
        f"/api/customers/{ids['Ravi Verma']}",
        json={"archived": True},
        headers=shop["editor"].headers,
    )
    assert r.status_code == 200 and r.json()["archived"] is True
    assert "Ravi Verma" not in [c["name"] for c in (await listing())["items"]]
    assert (await listing(include_archived="true"))["total"] == 5
    # Archived customers are still there to read.
    r = await client.get(f"/api/customers/{ids['Ravi Verma']}", headers=shop["admin"].headers)
    assert r.status_code == 200


async def test_list_needs_business(client: httpx.AsyncClient, shop: dict) -> None:
    r = await client.get("/api/customers", headers=shop["admin"].headers)
    assert r.status_code == 422 and "business" in error_fields(r)


@pytest.mark.parametrize(
    ("who", "create", "read", "patch", "listing"),
    [
        ("admin", 201, 200, 200, 200),
        ("editor", 201, 200, 200, 200),
        ("approver", 403, 200, 403, 200),
        ("viewer", 403, 200, 403, 200),
        ("outsider", 403, 404, 404, 403),
        ("buyer", 403, 404, 404, 403),
        ("platform", 403, 200, 403, 200),
    ],
)
async def test_authorization_matrix(
    client: httpx.AsyncClient,
    shop: dict,
    who: str,
    create: int,
    read: int,
    patch: int,
    listing: int,
) -> None:
    business = shop["business"].id
    caller = shop[who]
    existing = await new_customer(client, shop["admin"], business, phone="+919812300000")
    r = await client.post("/api/customers", json=customer_body(business), headers=caller.headers)
    assert r.status_code == create, r.text
    r = await client.get(f"/api/customers/{existing['id']}", headers=caller.headers)
    assert r.status_code == read
    r = await client.patch(
        f"/api/customers/{existing['id']}", json={"notes": "x"}, headers=caller.headers
    )
    assert r.status_code == patch
    r = await client.get(
        "/api/customers", params={"business": str(business)}, headers=caller.headers
    )
    assert r.status_code == listing


async def test_anonymous_gets_401(client: httpx.AsyncClient, shop: dict) -> None:
    business = shop["business"].id
    c = await new_customer(client, shop["admin"], business)
    for method, url, json in [
        ("POST", "/api/customers", customer_body(business)),
        ("GET", f"/api/customers/{c['id']}", None),
        ("PATCH", f"/api/customers/{c['id']}", {"notes": "x"}),
        ("GET", f"/api/customers?business={business}", None),
        ("GET", f"/api/customers/{c['id']}/khata", None),
        ("GET", f"/api/customers/{c['id']}/statement", None),
        ("POST", f"/api/customers/{c['id']}/reminder", None),
    ]:
        r = await client.request(method, url, json=json)
        assert r.status_code == 401, (method, url, r.text)
        assert r.headers["content-type"] == PROBLEM


async def test_unknown_ids(client: httpx.AsyncClient, shop: dict) -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    r = await client.get(f"/api/customers/{missing}", headers=shop["admin"].headers)
    assert r.status_code == 404
    r = await client.post(
        "/api/customers", json=customer_body(missing), headers=shop["admin"].headers
    )
    assert r.status_code == 404
