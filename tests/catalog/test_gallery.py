"""Uploading product photos through the API."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

from haat.businesses.models import BusinessRole
from haat.catalog.models import ProductStatus
from haat.config import Settings
from tests.conftest import Factory


def jpeg(width: int = 2400, height: int = 1600) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


async def test_upload_resizes_stores_and_serves(
    client: httpx.AsyncClient, factory: Factory, settings: Settings
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner, requires_approval=False)
    product = await factory.product(business, status=ProductStatus.APPROVED)
    r = await client.post(
        f"/api/products/{product.id}/images",
        headers=owner.headers,
        files={"file": ("photo.png", jpeg(), "image/png")},
        data={"alt_text": "Front view"},
    )
    assert r.status_code == 201, r.text
    image = r.json()["images"][0]
    assert (image["width"], image["height"]) == (1200, 800)
    assert image["content_type"] == "image/jpeg" and image["alt_text"] == "Front view"
    assert image["url"].startswith("/media/products/")
    served = await client.get(image["url"])
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (1200, 800)
    thumb = await client.get(image["thumbnail_url"])
    assert max(Image.open(io.BytesIO(thumb.content)).size) == 300
    stored = Path(settings.upload_dir, image["url"].removeprefix("/media/"))
    assert stored.is_file()

    r = await client.delete(
        f"/api/products/{product.id}/images/{image['id']}", headers=owner.headers
    )
    assert r.status_code == 204
    assert not stored.exists()
    assert (await client.get(f"/api/products/{product.id}")).json()["images"] == []


async def test_upload_refuses_bad_content(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    url = f"/api/products/{product.id}/images"
    r = await client.post(
        url,
        headers=owner.headers,
        files={"file": ("photo.jpg", b"%PDF-1.4 not an image", "image/jpeg")},
    )
    assert r.status_code == 415 and r.headers["content-type"] == "application/problem+json"
    r = await client.post(url, headers=owner.headers, files={})
    assert r.status_code == 422


async def test_upload_size_limit(
    client: httpx.AsyncClient, factory: Factory, settings: Settings
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    too_big = b"\xff\xd8\xff" + b"0" * settings.max_upload_bytes
    r = await client.post(
        f"/api/products/{product.id}/images",
        headers=owner.headers,
        files={"file": ("big.jpg", too_big, "image/jpeg")},
    )
    assert r.status_code == 413


async def test_upload_authorization(client: httpx.AsyncClient, factory: Factory) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    viewer = await factory.member(business, BusinessRole.VIEWER)
    stranger = await factory.user("stranger")
    url = f"/api/products/{product.id}/images"
    files = {"file": ("p.jpg", jpeg(40, 30), "image/jpeg")}
    assert (await client.post(url, files=files)).status_code == 401
    assert (await client.post(url, headers=viewer.headers, files=files)).status_code == 403
    assert (await client.post(url, headers=stranger.headers, files=files)).status_code == 404


async def test_new_photo_sends_approved_product_back_to_approval(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner, requires_approval=True)
    product = await factory.product(business, status=ProductStatus.APPROVED)
    r = await client.post(
        f"/api/products/{product.id}/images",
        headers=owner.headers,
        files={"file": ("p.jpg", jpeg(40, 30), "image/jpeg")},
    )
    assert r.status_code == 201 and r.json()["status"] == "pending_approval"
