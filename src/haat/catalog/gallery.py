"""Product photos: checked by content, optimized, graded, stored with a thumbnail, served
under /media/."""

from __future__ import annotations

import uuid
from functools import partial

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import get_business
from haat.catalog.images import ProcessedImage, process_image
from haat.catalog.models import Product, ProductImage, ProductStatus
from haat.catalog.photo_quality import check_new_photo
from haat.catalog.repository import images as repository
from haat.catalog.service import get_product, load_for_edit, mark_revised
from haat.core.errors import Conflict, NotFound
from haat.core.storage import LocalStorage
from haat.core.tasks import JobRunner
from haat.identity.actor import Actor
from haat.quality.grading import Assessment, grade_image_bytes
from haat.quality.service import reader_language, record_grade
from haat.quality.tasks import queue_note

MAX_IMAGES_PER_PRODUCT = 12


async def add_image(
    session: AsyncSession,
    actor: Actor,
    storage: LocalStorage,
    product_id: uuid.UUID,
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    alt_text: str = "",
    jobs: JobRunner | None = None,
) -> Product:
    """Attach a photo to a product (its business's editors and admins) and grade it.

    The bytes are decoded and the stored image graded off the event loop (`quality/`); raises
    413 (too big, too many pixels), 415 (not PNG/JPEG/GIF/WEBP), 409 (archived, already 12
    photos, or a photo below the business's minimum grade for a product that stays public),
    403/404 as for editing. A new photo is public content: an approved product goes back to
    approval where required. With ``jobs`` and a configured provider, a craftsmanship note is
    queued, sent after the commit; it can never fail the upload.
    """
    product = await load_for_edit(session, actor, product_id)
    count = await repository.count(session, product_id)
    if count >= MAX_IMAGES_PER_PRODUCT:
        raise Conflict(f"A product has at most {MAX_IMAGES_PER_PRODUCT} photos")
    processed, assessment = await anyio.to_thread.run_sync(
        partial(_process_and_grade, data, max_bytes=max_bytes, max_pixels=max_pixels)
    )
    business = await get_business(session, product.business_id)
    if product.status == ProductStatus.APPROVED and not business.requires_approval:
        await check_new_photo(session, actor, product, count, assessment)
    image_id = uuid.uuid4()
    key = f"products/{product_id}/{image_id}.{processed.extension}"
    thumb_key = f"products/{product_id}/{image_id}-thumb.{processed.extension}"
    await anyio.to_thread.run_sync(storage.save, key, processed.data)
    await anyio.to_thread.run_sync(storage.save, thumb_key, processed.thumbnail)
    await repository.add(
        session,
        ProductImage(
            id=image_id,
            product_id=product_id,
            path=key,
            thumbnail_path=thumb_key,
            content_type=processed.content_type,
            width=processed.width,
            height=processed.height,
            position=count,
            alt_text=alt_text[:300],
        ),
    )
    grade = await record_grade(session, image_id, assessment)
    if jobs is not None:
        await queue_note(
            session,
            jobs,
            actor,
            grade,
            path=key,
            content_type=processed.content_type,
            title=product.title,
            language=await reader_language(session, actor),
        )
    await mark_revised(session, actor, product, business)
    return await get_product(session, actor, product_id)


def _process_and_grade(
    data: bytes, *, max_bytes: int, max_pixels: int
) -> tuple[ProcessedImage, Assessment]:
    """`process_image`, then the grade of the stored main image (the bytes buyers get)."""
    processed = process_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
    return processed, grade_image_bytes(processed.data)


async def delete_image(
    session: AsyncSession,
    actor: Actor,
    storage: LocalStorage,
    product_id: uuid.UUID,
    image_id: uuid.UUID,
) -> None:
    """Remove a photo and its files (editors and admins of the product's business)."""
    await load_for_edit(session, actor, product_id)
    image = await repository.get(session, image_id)
    if image is None or image.product_id != product_id:
        raise NotFound("No such image")
    await repository.delete(session, image)
    storage.delete(image.path)
    storage.delete(image.thumbnail_path)
