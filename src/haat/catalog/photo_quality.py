"""Photo quality in the catalogue: the minimum-grade rule on the workflow, grades in staff
views, and re-grading stored photos. The grading itself is `quality/`.

Rules (see `quality/service.py`): when a business requires a minimum grade, submitting,
publishing and approving a product need every one of its photos at or above it (a product
without photos is judged by the workflow's rules alone); adding a photo below it to a product
that is public in a business without approval is refused, since it would be public at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import anyio.to_thread
from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.service import member_business_ids
from haat.catalog.models import Product
from haat.catalog.repository import images as images_repository
from haat.catalog.repository import products as products_repository
from haat.core.storage import LocalStorage
from haat.identity.actor import Actor
from haat.quality import service as quality
from haat.quality.grading import Assessment, Grade, grade_image_bytes
from haat.quality.schemas import PhotoQualityOut, PhotoQualitySummary


async def photos_of(session: AsyncSession, product_id: uuid.UUID) -> list[quality.Photo]:
    """The product's photos with their grades, by position."""
    images = await images_repository.positions(session, product_id)
    grades = await quality.grades_for(session, (image_id for image_id, _ in images))
    return [
        quality.Photo.of(image_id, position, grades.get(image_id)) for image_id, position in images
    ]


async def require_minimum(
    session: AsyncSession, actor: Actor, product: Product, action: str
) -> None:
    """Refuse ``action`` ("submit", "publish", "approve") with a 409 `PhotosBelowMinimum`
    when the product's business requires a minimum grade that some photo does not reach.

    The product row is locked first (no-op on SQLite, whose writers queue), so that a photo
    uploaded meanwhile waits for this decision and is then checked itself.
    """
    minimum = (await quality.minimum_grades(session, [product.business_id])).get(
        product.business_id
    )
    if minimum is None:
        return
    await products_repository.lock(session, product.id)
    photos = await photos_of(session, product.id)
    language = await quality.reader_language(session, actor)
    quality.check_minimum(photos, minimum, language, action=action)


async def check_new_photo(
    session: AsyncSession, actor: Actor, product: Product, position: int, assessment: Assessment
) -> None:
    """Refuse (409) adding a photo below the business's minimum to a product that stays
    public after the upload (approved, in a business that publishes without approval)."""
    minimum = (await quality.minimum_grades(session, [product.business_id])).get(
        product.business_id
    )
    if minimum is None:
        return
    photo = quality.Photo(None, position, assessment.grade, assessment.score, assessment.advice)
    language = await quality.reader_language(session, actor)
    quality.check_minimum([photo], minimum, language, action="add this photo to")


@dataclass
class StaffQuality:
    """Grades the actor may see: per image, and a summary per product."""

    images: dict[uuid.UUID, PhotoQualityOut] = field(default_factory=dict)
    products: dict[uuid.UUID, PhotoQualitySummary] = field(default_factory=dict)


async def staff_quality(
    session: AsyncSession, actor: Actor, products: Sequence[Product]
) -> StaffQuality:
    """The grades of the photos of those ``products`` (loaded with their images) whose
    business the actor belongs to, or of all of them for a platform admin; nothing for
    anybody else. Three queries whatever the number of products."""
    if actor.is_platform_admin:
        visible = list(products)
    elif actor.user_id is not None and products:
        member_of = set(await member_business_ids(session, actor))
        visible = [p for p in products if p.business_id in member_of]
    else:
        visible = []
    if not visible:
        return StaffQuality()
    grades = await quality.grades_for(session, (i.id for p in visible for i in p.images))
    minimums = await quality.minimum_grades(session, (p.business_id for p in visible))
    language = await quality.reader_language(session, actor)
    result = StaffQuality()
    for product in visible:
        photos = [quality.Photo.of(i.id, i.position, grades.get(i.id)) for i in product.images]
        result.products[product.id] = quality.summary(photos, minimums.get(product.business_id))
        for image in product.images:
            if image.id in grades:
                result.images[image.id] = quality.quality_out(grades[image.id], language)
    return result


async def images_to_grade(
    session: AsyncSession, *, everything: bool = False
) -> list[tuple[uuid.UUID, str]]:
    """(image id, storage key) of the photos whose grade is missing or from another model
    version than `quality.grading.MODEL_VERSION` (every photo with ``everything``), oldest first."""
    every = await images_repository.every_path(session)
    if everything:
        return every
    current = await quality.graded_by_current_model(session)
    return [(image_id, path) for image_id, path in every if image_id not in current]


async def regrade_image(
    session: AsyncSession, storage: LocalStorage, image_id: uuid.UUID, path: str
) -> Grade | None:
    """Grade the stored photo again and store the result (keeping any craftsmanship note).
    Returns its grade, or None when the file is missing from storage (nothing is changed).
    Flushes; never commits."""
    try:
        data = await anyio.to_thread.run_sync(storage.read, path)
    except FileNotFoundError:
        return None
    assessment = await anyio.to_thread.run_sync(grade_image_bytes, data)
    await quality.record_grade(session, image_id, assessment)
    return assessment.grade
