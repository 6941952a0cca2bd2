"""The approval queue and the preview show each product's photo grades and the shop's
minimum grade (platform admins only; the grades come from `catalog.photo_quality`)."""

from __future__ import annotations

import re

import httpx

from haat.catalog.models import ProductStatus
from haat.identity.models import PlatformRole
from tests.conftest import Factory
from tests.quality.photos import degraded, upload
from tests.web.conftest import web_login

FAIR = degraded("coffee", "blur", 0)  # B
BLURRED = degraded("coffee", "blur", 4)  # retake


async def test_queue_shows_grades_and_minimum(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner", role=PlatformRole.SELLER)
    shop = await factory.business(owner, name="Jaipur Potters")
    sharp = await factory.product(shop, title="Sharp vase", status=ProductStatus.DRAFT)
    blurred = await factory.product(shop, title="Blurred bowl", status=ProductStatus.DRAFT)
    await factory.product(shop, title="Bare plate", status=ProductStatus.PENDING_APPROVAL)
    for product, photo in ((sharp, FAIR), (blurred, BLURRED)):
        r = await upload(client, owner.headers, product.id, photo)
        assert r.status_code == 201, r.text
    r = await client.put(
        f"/api/quality/policies/{shop.id}", json={"minimum_grade": "C"}, headers=owner.headers
    )
    assert r.status_code == 200, r.text
    # The shop's minimum refuses submitting the blurred one: it stays a draft.
    for product in (sharp, blurred):
        await client.post(f"/api/products/{product.id}/submit", headers=owner.headers)

    admin = await factory.user("ops", role=PlatformRole.ADMIN)
    await web_login(client, admin)
    queue = await client.get("/admin/queue")
    assert queue.status_code == 200
    rows = {
        title: row
        for row in re.findall(r"<tr>.*?</tr>", queue.text, re.S)
        for title in ("Sharp vase", "Blurred bowl", "Bare plate")
        if title in row
    }
    assert "Blurred bowl" not in rows  # refused at submission by the minimum
    assert 'class="grade grade-B"' in rows["Sharp vase"]
    assert "1 of 1 photos graded" in rows["Sharp vase"]
    assert "Shop's minimum: C" in rows["Sharp vase"] and "Meets it" in rows["Sharp vase"]
    assert "—" in rows["Bare plate"]  # no photos: no grade
    preview = await client.get(f"/admin/products/{sharp.id}")
    assert 'class="grade grade-B"' in preview.text and "Photo grade" in preview.text
    # The seller's owner is not a platform admin: no console at all.
    client.cookies.clear()
    await web_login(client, owner)
    assert (await client.get("/admin/queue")).status_code == 403
