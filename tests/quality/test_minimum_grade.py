"""A business's minimum photo grade: who may read and set it, and how it refuses submitting,
publishing, approving and adding photos below it."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, func, select

from haat.businesses.models import Business, BusinessRole
from haat.catalog.models import Product, ProductImage, ProductStatus, ProductStatusChange
from haat.config import Settings
from haat.identity.models import PlatformRole
from haat.quality.advice import ADVICE
from haat.quality.models import PhotoGrade, PhotoQualityPolicy
from tests.conftest import Caller, Factory
from tests.quality.photos import degraded, upload

GOOD = degraded("motorcycle", "blur", 0)  # A
FAIR = degraded("coffee", "blur", 0)  # B
BLURRED = degraded("coffee", "blur", 4)  # retake


def policy_url(business_id: object) -> str:
    return f"/api/quality/policies/{business_id}"


async def require(
    client: httpx.AsyncClient, caller: Caller, business: Business, grade: str | None
) -> None:
    r = await client.put(
        policy_url(business.id), json={"minimum_grade": grade}, headers=caller.headers
    )
    assert r.status_code == 200, r.text


async def test_who_may_read_and_set_the_minimum(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    members = {
        role: await factory.member(business, role)
        for role in BusinessRole
        if role != BusinessRole.ADMIN
    }
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    other_owner = await factory.user("other")
    await factory.business(other_owner, name="Other shop")
    url = policy_url(business.id)
    body = {"minimum_grade": "B"}

    assert (await client.get(url)).status_code == 401
    assert (await client.put(url, json=body)).status_code == 401
    assert (await client.get(url, headers=other_owner.headers)).status_code == 403
    assert (await client.put(url, json=body, headers=other_owner.headers)).status_code == 403
    for role, member in members.items():
        assert (await client.get(url, headers=member.headers)).status_code == 200, role
        r = await client.put(url, json=body, headers=member.headers)
        assert r.status_code == 403 and r.json()["type"] == "forbidden", role
    missing = policy_url(uuid.uuid4())
    assert (await client.get(missing, headers=staff.headers)).status_code == 404
    assert (await client.put(missing, json=body, headers=staff.headers)).status_code == 404

    r = await client.get(url, headers=owner.headers)
    assert r.json() == {
        "business_id": str(business.id),
        "minimum_grade": None,
        "updated_by": None,
        "updated_at": None,
    }
    r = await client.put(url, json=body, headers=owner.headers)
    assert r.status_code == 200 and r.json()["minimum_grade"] == "B"
    assert r.json()["updated_by"] == str(owner.id)
    r = await client.put(url, json={"minimum_grade": "A"}, headers=staff.headers)
    assert r.status_code == 200 and r.json()["updated_by"] == str(staff.id)
    viewer = members[BusinessRole.VIEWER]
    assert (await client.get(url, headers=viewer.headers)).json()["minimum_grade"] == "A"
    r = await client.put(url, json={"minimum_grade": None}, headers=owner.headers)
    assert r.status_code == 200 and r.json()["minimum_grade"] is None


@pytest.mark.parametrize("value", ["D", "retake", "b", 1, ""])
async def test_only_grades_a_b_c_or_null_are_accepted(
    client: httpx.AsyncClient, factory: Factory, value: object
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    r = await client.put(
        policy_url(business.id), json={"minimum_grade": value}, headers=owner.headers
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][:2] == ["body", "minimum_grade"]
    r = await client.put(policy_url(business.id), json={}, headers=owner.headers)
    assert r.status_code == 422


async def test_two_admins_setting_it_at_once_leave_one_row(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    replies = await asyncio.gather(
        client.put(policy_url(business.id), json={"minimum_grade": "A"}, headers=owner.headers),
        client.put(policy_url(business.id), json={"minimum_grade": "C"}, headers=staff.headers),
    )
    assert [r.status_code for r in replies] == [200, 200]
    async with factory.session() as s:
        rows = list(await s.scalars(select(PhotoQualityPolicy)))
    assert len(rows) == 1 and rows[0].minimum_grade in ("A", "C")


async def _product_with(
    client: httpx.AsyncClient, factory: Factory, owner: Caller, business: Business, *photos: bytes
) -> Product:
    product = await factory.product(business, status=ProductStatus.DRAFT)
    for data in photos:
        r = await upload(client, owner.headers, product.id, data)
        assert r.status_code == 201, r.text
    return product


async def _history_length(factory: Factory, product: Product) -> int:
    async with factory.session() as s:
        count = select(func.count()).where(ProductStatusChange.product_id == product.id)
        return int(await s.scalar(count) or 0)


async def test_submitting_is_refused_with_the_photos_and_their_advice(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner", language="fr")
    business = await factory.business(owner)
    await require(client, owner, business, "B")
    product = await _product_with(client, factory, owner, business, GOOD, BLURRED, FAIR)
    before = await _history_length(factory, product)
    r = await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)
    assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == "photos_below_minimum" and problem["minimum_grade"] == "B"
    assert "grade B or better" in problem["detail"] and "photo 2 (retake" in problem["detail"]
    [photo] = problem["photos"]
    images = (await client.get(f"/api/products/{product.id}", headers=owner.headers)).json()[
        "images"
    ]
    assert photo["image_id"] == images[1]["id"] and photo["position"] == 1
    assert photo["grade"] == "retake" and photo["score"] < 0.4
    assert photo["advice"][0] == {"code": "blurry", "text": ADVICE["blurry"]["fr"]}
    assert ADVICE["blurry"]["fr"] in problem["detail"]
    body = (await client.get(f"/api/products/{product.id}", headers=owner.headers)).json()
    assert body["status"] == "draft" and body["photo_quality"]["meets_minimum"] is False
    assert await _history_length(factory, product) == before

    r = await client.delete(
        f"/api/products/{product.id}/images/{photo['image_id']}", headers=owner.headers
    )
    assert r.status_code == 204
    r = await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)
    assert r.status_code == 200 and r.json()["status"] == "pending_approval"
    assert r.json()["photo_quality"]["meets_minimum"] is True


async def test_a_stricter_minimum_names_every_photo_below_it(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    await require(client, owner, business, "A")
    product = await _product_with(client, factory, owner, business, FAIR, GOOD, BLURRED)
    r = await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)
    assert r.status_code == 409
    assert [(p["position"], p["grade"]) for p in r.json()["photos"]] == [(0, "B"), (2, "retake")]
    await require(client, owner, business, None)
    r = await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)
    assert r.status_code == 200


async def test_a_product_without_photos_follows_the_workflow_alone(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    await require(client, owner, business, "A")
    product = await factory.product(business, status=ProductStatus.DRAFT)
    r = await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)
    assert r.status_code == 200 and r.json()["photo_quality"]["photos"] == 0


async def test_approving_is_refused_for_a_photo_added_while_pending(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    approver = await factory.member(business, BusinessRole.APPROVER)
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    product = await _product_with(client, factory, owner, business, GOOD)
    r = await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)
    assert r.status_code == 200
    assert (await upload(client, owner.headers, product.id, BLURRED)).status_code == 201
    await require(client, owner, business, "C")
    for caller in (approver, staff):
        r = await client.post(f"/api/products/{product.id}/approve", headers=caller.headers)
        assert r.status_code == 409 and r.json()["type"] == "photos_below_minimum"
    r = await client.get(
        "/api/products/admin", params={"status": "pending_approval"}, headers=staff.headers
    )
    summary = r.json()["items"][0]["photo_quality"]
    assert summary["minimum_grade"] == "C" and summary["meets_minimum"] is False
    # The workflow's own errors come first: a draft cannot be approved whatever its photos.
    draft = await _product_with(client, factory, owner, business, BLURRED)
    r = await client.post(f"/api/products/{draft.id}/approve", headers=approver.headers)
    assert r.status_code == 409 and r.json()["type"] == "invalid_transition"
    # A member of another business still sees nothing.
    stranger = await factory.user("stranger")
    await factory.business(stranger, name="Elsewhere")
    r = await client.post(f"/api/products/{product.id}/approve", headers=stranger.headers)
    assert r.status_code == 404


async def test_publishing_without_approval_is_refused_too(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner, requires_approval=False)
    await require(client, owner, business, "B")
    product = await _product_with(client, factory, owner, business, BLURRED)
    r = await client.post(f"/api/products/{product.id}/publish", headers=owner.headers)
    assert r.status_code == 409 and r.json()["type"] == "photos_below_minimum"
    assert (await client.get(f"/api/products/{product.id}")).status_code == 404  # not public


async def test_a_published_product_of_a_shop_without_approval_takes_no_photo_below_it(
    client: httpx.AsyncClient, factory: Factory, settings: Settings
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner, requires_approval=False)
    product = await _product_with(client, factory, owner, business, GOOD)
    r = await client.post(f"/api/products/{product.id}/publish", headers=owner.headers)
    assert r.status_code == 200
    await require(client, owner, business, "B")
    folder = Path(settings.upload_dir, "products", str(product.id))
    files_before = sorted(folder.iterdir())
    r = await upload(client, owner.headers, product.id, BLURRED)
    assert r.status_code == 409 and r.json()["type"] == "photos_below_minimum"
    assert r.json()["photos"][0]["image_id"] is None and r.json()["photos"][0]["position"] == 1
    assert sorted(folder.iterdir()) == files_before  # nothing stored
    async with factory.session() as s:
        count = select(func.count()).where(ProductImage.product_id == product.id)
        assert await s.scalar(count) == 1
    assert (await upload(client, owner.headers, product.id, FAIR)).status_code == 201


async def test_a_photo_never_graded_does_not_pass_a_minimum(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await _product_with(client, factory, owner, business, GOOD)
    async with factory.session() as s:
        await s.execute(delete(PhotoGrade))  # as for photos stored before grading existed
        await s.commit()
    await require(client, owner, business, "C")
    r = await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)
    assert r.status_code == 409
    [photo] = r.json()["photos"]
    assert photo["grade"] is None and photo["advice"][0]["code"] == "not_graded"
    assert "photo 1 (not graded" in r.json()["detail"]
