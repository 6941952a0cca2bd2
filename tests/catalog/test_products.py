"""`/api/products`: creating, editing, the status workflow, visibility and history."""

from __future__ import annotations

import httpx
import pytest

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus
from haat.identity.models import PlatformRole
from tests.conftest import Caller, Factory

PROBLEM = "application/problem+json"


@pytest.fixture
async def shop(factory: Factory) -> dict[str, object]:
    """A business that requires approval, with one member per role, an outsider (admin of
    another business) and a platform admin."""
    owner = await factory.user("owner")
    business = await factory.business(owner, name="Jaipur Blue Pottery")
    other_owner = await factory.user("other")
    await factory.business(other_owner, name="Other Shop")
    return {
        "business": business,
        "admin": owner,
        "approver": await factory.member(business, BusinessRole.APPROVER),
        "editor": await factory.member(business, BusinessRole.EDITOR),
        "viewer": await factory.member(business, BusinessRole.VIEWER),
        "outsider": other_owner,
        "platform": await factory.user("staff", role=PlatformRole.ADMIN),
        "buyer": await factory.user("buyer"),
    }


def body(business: object, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "business_id": str(business),
        "title": "Kundan jhumka earrings",
        "description": "Gold-plated silver jhumkas with kundan stones.",
        "price_minor": 189900,
        "currency": "INR",
        "sku": "JH-001",
        "stock_quantity": 4,
        "attributes": {"metal": "silver", "purity": 925, "weight_g": 18.5},
    }
    data.update(overrides)
    return data


async def create(
    client: httpx.AsyncClient, caller: Caller, business: object, **overrides: object
) -> httpx.Response:
    return await client.post(
        "/api/products", json=body(business, **overrides), headers=caller.headers
    )


async def act(
    client: httpx.AsyncClient, caller: Caller | None, product_id: str, action: str, **json: object
) -> httpx.Response:
    headers = caller.headers if caller else {}
    return await client.post(
        f"/api/products/{product_id}/{action}", headers=headers, json=json or None
    )


async def test_editor_creates_a_draft(client: httpx.AsyncClient, shop: dict) -> None:
    r = await create(client, shop["editor"], shop["business"].id)
    assert r.status_code == 201, r.text
    product = r.json()
    assert product["status"] == "draft"
    assert product["attributes"] == {"metal": "silver", "purity": 925, "weight_g": 18.5}
    assert product["business"]["name"] == "Jaipur Blue Pottery"
    assert product["images"] == [] and product["rejection_reason"] is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 201),
        ("editor", 201),
        ("approver", 403),
        ("viewer", 403),
        ("outsider", 403),
        ("buyer", 403),
        ("platform", 403),
    ],
)
async def test_who_may_create(client: httpx.AsyncClient, shop: dict, who: str, status: int) -> None:
    r = await create(client, shop[who], shop["business"].id)
    assert r.status_code == status, r.text


async def test_anonymous_cannot_create(client: httpx.AsyncClient, shop: dict) -> None:
    r = await client.post("/api/products", json=body(shop["business"].id))
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price_minor": -1}, "price_minor"),
        ({"price_minor": 12.5}, "price_minor"),
        ({"currency": "RUPEES"}, "currency"),
        ({"title": ""}, "title"),
        ({"sku": "has space"}, "sku"),
        ({"attributes": {"k": {"nested": 1}}}, "attributes"),
        ({"stock_quantity": -3}, "stock_quantity"),
        ({"business_id": "not-a-uuid"}, "business_id"),
    ],
)
async def test_create_validation(
    client: httpx.AsyncClient, shop: dict, overrides: dict, field: str
) -> None:
    r = await create(client, shop["editor"], shop["business"].id, **overrides)
    assert r.status_code == 422
    assert field in {str(p) for e in r.json()["errors"] for p in e["loc"]}, r.json()


async def test_sku_unique_per_business(
    client: httpx.AsyncClient, shop: dict, factory: Factory
) -> None:
    assert (await create(client, shop["editor"], shop["business"].id)).status_code == 201
    r = await create(client, shop["editor"], shop["business"].id)
    assert r.status_code == 409 and r.json()["type"] == "sku_taken"
    # The same SKU in another business is fine.
    other = await factory.business(shop["outsider"], name="Second")
    assert (await create(client, shop["outsider"], other.id)).status_code == 201


async def test_unknown_category_and_business(client: httpx.AsyncClient, shop: dict) -> None:
    r = await create(
        client,
        shop["editor"],
        shop["business"].id,
        category_id="00000000-0000-0000-0000-000000000000",
    )
    assert r.status_code == 422
    r = await create(client, shop["editor"], "00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404


async def test_full_approval_workflow_with_history(client: httpx.AsyncClient, shop: dict) -> None:
    pid = (await create(client, shop["editor"], shop["business"].id)).json()["id"]
    assert (await act(client, shop["editor"], pid, "submit")).json()["status"] == "pending_approval"
    r = await act(client, shop["approver"], pid, "reject", reason="Add a photo of the clasp")
    assert r.status_code == 200
    assert r.json()["status"] == "rejected"
    assert r.json()["rejection_reason"] == "Add a photo of the clasp"

    # Editing a rejected product returns it to draft.
    r = await client.patch(
        f"/api/products/{pid}",
        headers=shop["editor"].headers,
        json={"description": "Now with the clasp described."},
    )
    assert r.json()["status"] == "draft" and r.json()["rejection_reason"] is None
    await act(client, shop["editor"], pid, "submit")
    assert (await act(client, shop["approver"], pid, "approve")).json()["status"] == "approved"
    assert (await act(client, shop["editor"], pid, "unpublish")).json()["status"] == "unpublished"
    assert (await act(client, shop["editor"], pid, "submit")).json()["status"] == "pending_approval"
    assert (await act(client, shop["platform"], pid, "approve")).json()["status"] == "approved"
    assert (await act(client, shop["admin"], pid, "archive")).json()["status"] == "archived"

    r = await client.get(f"/api/products/{pid}/history", headers=shop["viewer"].headers)
    assert r.status_code == 200
    steps = [(h["action"], h["from_status"], h["to_status"]) for h in r.json()]
    assert steps == [
        ("create", None, "draft"),
        ("submit", "draft", "pending_approval"),
        ("reject", "pending_approval", "rejected"),
        ("revise", "rejected", "draft"),
        ("submit", "draft", "pending_approval"),
        ("approve", "pending_approval", "approved"),
        ("unpublish", "approved", "unpublished"),
        ("submit", "unpublished", "pending_approval"),
        ("approve", "pending_approval", "approved"),
        ("archive", "approved", "archived"),
    ]
    reject = r.json()[2]
    assert reject["actor_id"] == str(shop["approver"].id)
    assert reject["reason"] == "Add a photo of the clasp"
    # History is for members and platform admins only; the archived product is hidden.
    r = await client.get(f"/api/products/{pid}/history", headers=shop["outsider"].headers)
    assert r.status_code == 404
    r = await client.get(f"/api/products/{pid}/history", headers=shop["platform"].headers)
    assert r.status_code == 200


async def test_reject_needs_a_reason(client: httpx.AsyncClient, shop: dict) -> None:
    pid = (await create(client, shop["editor"], shop["business"].id)).json()["id"]
    await act(client, shop["editor"], pid, "submit")
    r = await client.post(f"/api/products/{pid}/reject", headers=shop["approver"].headers, json={})
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("approve", {"admin", "approver", "platform"}),
        ("reject", {"admin", "approver", "platform"}),
    ],
)
async def test_approval_roles(
    client: httpx.AsyncClient, shop: dict, factory: Factory, action: str, allowed: set[str]
) -> None:
    for who in ["admin", "approver", "editor", "viewer", "outsider", "buyer", "platform"]:
        product = await factory.product(shop["business"], status=ProductStatus.PENDING_APPROVAL)
        r = await act(client, shop[who], str(product.id), action, reason="Blurry photos")
        expected = 200 if who in allowed else (404 if who in {"outsider", "buyer"} else 403)
        assert r.status_code == expected, (who, r.text)
    anonymous = await act(client, None, str(product.id), action, reason="x" * 5)
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("action", "source", "allowed"),
    [
        ("submit", ProductStatus.DRAFT, {"admin", "editor"}),
        ("unpublish", ProductStatus.APPROVED, {"admin", "editor", "platform"}),
        ("archive", ProductStatus.DRAFT, {"admin", "editor", "platform"}),
    ],
)
async def test_editor_action_roles(
    client: httpx.AsyncClient,
    shop: dict,
    factory: Factory,
    action: str,
    source: ProductStatus,
    allowed: set[str],
) -> None:
    for who in ["admin", "approver", "editor", "viewer", "outsider", "platform"]:
        product = await factory.product(shop["business"], status=source)
        r = await act(client, shop[who], str(product.id), action)
        hidden = who == "outsider" and source != ProductStatus.APPROVED
        expected = 200 if who in allowed else (404 if hidden else 403)
        assert r.status_code == expected, (who, r.text)


@pytest.mark.parametrize(
    ("action", "bad_sources"),
    [
        (
            "submit",
            [
                ProductStatus.PENDING_APPROVAL,
                ProductStatus.APPROVED,
                ProductStatus.REJECTED,
                ProductStatus.ARCHIVED,
            ],
        ),
        (
            "approve",
            [
                ProductStatus.DRAFT,
                ProductStatus.APPROVED,
                ProductStatus.REJECTED,
                ProductStatus.UNPUBLISHED,
                ProductStatus.ARCHIVED,
            ],
        ),
        ("reject", [ProductStatus.DRAFT, ProductStatus.APPROVED, ProductStatus.ARCHIVED]),
        (
            "unpublish",
            [
                ProductStatus.DRAFT,
                ProductStatus.PENDING_APPROVAL,
                ProductStatus.UNPUBLISHED,
                ProductStatus.ARCHIVED,
            ],
        ),
        ("archive", [ProductStatus.ARCHIVED]),
    ],
)
async def test_refused_transitions_are_409(
    client: httpx.AsyncClient,
    shop: dict,
    factory: Factory,
    action: str,
    bad_sources: list[ProductStatus],
) -> None:
    for source in bad_sources:
        product = await factory.product(shop["business"], status=source)
        r = await act(client, shop["admin"], str(product.id), action, reason="Not good enough")
        assert r.status_code == 409, (source, r.text)
        assert r.json()["type"] == "invalid_transition"


async def test_publish_only_without_approval(
    client: httpx.AsyncClient, shop: dict, factory: Factory
) -> None:
    # In a business that requires approval, publish is refused and submit is the way.
    draft = await factory.product(shop["business"], status=ProductStatus.DRAFT)
    r = await act(client, shop["editor"], str(draft.id), "publish")
    assert r.status_code == 409 and r.json()["type"] == "approval_mode"

    owner = await factory.user("single")
    single = await factory.business(owner, requires_approval=False, name="Corner Store")
    pid = (await create(client, owner, single.id)).json()["id"]
    r = await act(client, owner, pid, "submit")
    assert r.status_code == 409 and r.json()["type"] == "approval_mode"
    r = await act(client, owner, pid, "publish")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["published_at"] is not None
    # Editing an approved product where approval is off keeps it public.
    r = await client.patch(
        f"/api/products/{pid}", headers=owner.headers, json={"price_minor": 99900}
    )
    assert r.json()["status"] == "approved" and r.json()["price_minor"] == 99900


async def test_editing_public_fields_sends_back_to_approval(
    client: httpx.AsyncClient, shop: dict, factory: Factory
) -> None:
    product = await factory.product(shop["business"], status=ProductStatus.APPROVED)
    # Stock is not public content: no re-approval.
    r = await client.patch(
        f"/api/products/{product.id}", headers=shop["editor"].headers, json={"stock_quantity": 9}
    )
    assert r.json()["status"] == "approved" and r.json()["stock_quantity"] == 9
    r = await client.patch(
        f"/api/products/{product.id}",
        headers=shop["editor"].headers,
        json={"title": "Blue pottery vase, large"},
    )
    assert r.json()["status"] == "pending_approval"
    assert (await client.get(f"/api/products/{product.id}")).status_code == 404


async def test_edit_permissions_and_archived_is_frozen(
    client: httpx.AsyncClient, shop: dict, factory: Factory
) -> None:
    product = await factory.product(shop["business"], status=ProductStatus.DRAFT)
    url = f"/api/products/{product.id}"
    assert (await client.patch(url, json={"title": "x"})).status_code == 401
    assert (
        await client.patch(url, headers=shop["viewer"].headers, json={"title": "x"})
    ).status_code == 403
    assert (
        await client.patch(url, headers=shop["approver"].headers, json={"title": "x"})
    ).status_code == 403
    assert (
        await client.patch(url, headers=shop["outsider"].headers, json={"title": "x"})
    ).status_code == 404
    archived = await factory.product(shop["business"], status=ProductStatus.ARCHIVED)
    r = await client.patch(
        f"/api/products/{archived.id}",
        headers=shop["editor"].headers,
        json={"title": "back from the dead"},
    )
    assert r.status_code == 409 and r.json()["type"] == "product_archived"


async def test_changing_sku_to_a_taken_one(
    client: httpx.AsyncClient, shop: dict, factory: Factory
) -> None:
    await factory.product(shop["business"], sku="TAKEN-1", status=ProductStatus.DRAFT)
    product = await factory.product(shop["business"], status=ProductStatus.DRAFT)
    r = await client.patch(
        f"/api/products/{product.id}", headers=shop["editor"].headers, json={"sku": "TAKEN-1"}
    )
    assert r.status_code == 409


NON_PUBLIC = [
    ProductStatus.DRAFT,
    ProductStatus.PENDING_APPROVAL,
    ProductStatus.REJECTED,
    ProductStatus.UNPUBLISHED,
    ProductStatus.ARCHIVED,
]


async def test_non_public_products_never_leak(
    client: httpx.AsyncClient, shop: dict, factory: Factory
) -> None:
    public = await factory.product(
        shop["business"], title="Sanganeri block print quilt", status=ProductStatus.APPROVED
    )
    hidden = {
        s: await factory.product(
            shop["business"], title=f"Sanganeri block print {s.value}", status=s
        )
        for s in NON_PUBLIC
    }
    for who in [None, shop["buyer"], shop["outsider"]]:
        headers = who.headers if who else {}
        listing = (await client.get("/api/products", headers=headers)).json()
        assert [p["id"] for p in listing["items"]] == [str(public.id)]
        found = (
            await client.get("/api/products", headers=headers, params={"search": "sanganeri"})
        ).json()
        assert [p["id"] for p in found["items"]] == [str(public.id)]
        assert found["total"] == 1
        for product in hidden.values():
            r = await client.get(f"/api/products/{product.id}", headers=headers)
            assert r.status_code == 404 and r.headers["content-type"] == PROBLEM
        assert (await client.get(f"/api/products/{public.id}", headers=headers)).status_code == 200
    # Members of the business and platform admins see every status in detail.
    for who in ["viewer", "approver", "platform"]:
        for product in hidden.values():
            r = await client.get(f"/api/products/{product.id}", headers=shop[who].headers)
            assert r.status_code == 200, who


async def test_staff_listing(client: httpx.AsyncClient, shop: dict, factory: Factory) -> None:
    for s in [*NON_PUBLIC, ProductStatus.APPROVED]:
        await factory.product(shop["business"], status=s)
    other = await factory.business(shop["outsider"], name="Elsewhere")
    await factory.product(other, status=ProductStatus.PENDING_APPROVAL)
    bid = str(shop["business"].id)

    r = await client.get(
        "/api/products/admin", headers=shop["viewer"].headers, params={"business": bid}
    )
    assert r.status_code == 200 and r.json()["total"] == 6
    r = await client.get(
        "/api/products/admin",
        headers=shop["viewer"].headers,
        params={"business": bid, "status": "pending_approval"},
    )
    assert [p["status"] for p in r.json()["items"]] == ["pending_approval"]
    # Outsiders, buyers and anonymous callers get nothing.
    assert (
        await client.get(
            "/api/products/admin", headers=shop["outsider"].headers, params={"business": bid}
        )
    ).status_code == 403
    assert (
        await client.get(
            "/api/products/admin", headers=shop["buyer"].headers, params={"business": bid}
        )
    ).status_code == 403
    assert (await client.get("/api/products/admin", params={"business": bid})).status_code == 401
    # A member must name the business; a platform admin sees the queue of every business.
    assert (
        await client.get("/api/products/admin", headers=shop["viewer"].headers)
    ).status_code == 422
    r = await client.get(
        "/api/products/admin",
        headers=shop["platform"].headers,
        params={"status": "pending_approval"},
    )
    assert r.json()["total"] == 2
    r = await client.get(
        "/api/products/admin",
        headers=shop["viewer"].headers,
        params={"business": bid, "status": "bogus"},
    )
    assert r.status_code == 422


async def test_detail_of_unknown_and_malformed_ids(client: httpx.AsyncClient) -> None:
    assert (
        await client.get("/api/products/00000000-0000-0000-0000-000000000000")
    ).status_code == 404
    r = await client.get("/api/products/nope")
    assert r.status_code == 404 and r.json()["type"] == "not_found"
