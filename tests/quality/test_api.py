"""Grades in the API: on each uploaded photo for staff, never for the public, and in the
approval queue."""

from __future__ import annotations

import httpx

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus
from haat.identity.models import PlatformRole
from haat.quality.advice import ADVICE
from haat.quality.grading import WEIGHTS
from tests.conftest import Factory
from tests.quality.photos import degraded, upload

GOOD = ("motorcycle", "blur", 0)  # grade A
BLURRED = ("coffee", "blur", 4)  # retake, "blurry" first


async def test_an_upload_is_graded_with_factors_and_advice_in_the_uploaders_language(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner", language="hi")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    r = await upload(client, owner.headers, product.id, degraded(*BLURRED))
    assert r.status_code == 201, r.text
    quality = r.json()["images"][0]["quality"]
    assert quality["grade"] == "retake" and 0 <= quality["score"] < 0.4
    assert "not the craftsmanship" in quality["scope"]
    assert [f["name"] for f in quality["factors"]] == list(WEIGHTS)
    sharpness = next(f for f in quality["factors"] if f["name"] == "sharpness")
    assert sharpness["unit"] == "blur_effect" and sharpness["value"] > 0.6
    assert sharpness["score"] < 0.1
    assert quality["language"] == "hi"
    assert quality["advice"][0] == {"code": "blurry", "text": ADVICE["blurry"]["hi"]}
    assert quality["craftsmanship_note"] is None  # no provider configured
    assert quality["model_version"] == "photo-quality-1"
    assert r.json()["photo_quality"]["lowest_grade"] == "retake"


async def test_grades_are_for_the_business_and_platform_admins_only(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner, requires_approval=False)
    product = await factory.product(business, status=ProductStatus.APPROVED)
    assert (await upload(client, owner.headers, product.id, degraded(*GOOD))).status_code == 201
    viewer = await factory.member(business, BusinessRole.VIEWER)
    admin = await factory.user("staff", role=PlatformRole.ADMIN)
    buyer = await factory.user("buyer")
    url = f"/api/products/{product.id}"
    for headers in ({}, buyer.headers):
        body = (await client.get(url, headers=headers)).json()
        assert body["images"][0]["quality"] is None and body["photo_quality"] is None
        listed = (await client.get("/api/products", headers=headers)).json()["items"][0]
        assert listed["images"][0]["quality"] is None
    for headers in (viewer.headers, admin.headers):
        body = (await client.get(url, headers=headers)).json()
        assert body["images"][0]["quality"]["grade"] == "A"
        assert body["photo_quality"]["primary_grade"] == "A"


async def test_the_approval_queue_shows_the_lowest_and_the_first_photos_grade(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    other = await factory.product(business, status=ProductStatus.DRAFT, title="Brass lamp")
    for data in (degraded(*GOOD), degraded(*BLURRED)):
        assert (await upload(client, owner.headers, product.id, data)).status_code == 201
    for p in (product, other):
        r = await client.post(f"/api/products/{p.id}/submit", headers=owner.headers)
        assert r.status_code == 200, r.text
    admin = await factory.user("staff", role=PlatformRole.ADMIN)
    r = await client.get(
        "/api/products/admin", params={"status": "pending_approval"}, headers=admin.headers
    )
    assert r.status_code == 200
    queue = {item["id"]: item for item in r.json()["items"]}
    summary = queue[str(product.id)]["photo_quality"]
    assert summary["photos"] == summary["graded"] == 2
    assert summary["primary_grade"] == "A" and summary["lowest_grade"] == "retake"
    assert summary["lowest_score"] < 0.4 < summary["primary_score"]
    assert summary["minimum_grade"] is None and summary["meets_minimum"] is True
    empty = queue[str(other.id)]["photo_quality"]
    assert empty["photos"] == 0 and empty["lowest_grade"] is None
    grades = [i["quality"]["grade"] for i in queue[str(product.id)]["images"]]
    assert grades == ["A", "retake"]


async def test_a_deleted_photo_takes_its_grade_with_it(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    from sqlalchemy import func, select

    from haat.quality.models import PhotoGrade

    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    image = (await upload(client, owner.headers, product.id, degraded(*GOOD))).json()["images"][0]
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(PhotoGrade)) == 1
    r = await client.delete(
        f"/api/products/{product.id}/images/{image['id']}", headers=owner.headers
    )
    assert r.status_code == 204
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(PhotoGrade)) == 0
