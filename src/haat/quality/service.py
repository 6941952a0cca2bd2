"""Photo quality rules: storing grades, showing them, and each business's minimum grade.

The minimum applies to every photo a product has when it is submitted, published or approved
(`catalog/photo_quality.py` asks `check_minimum`); a product without photos is judged by the
catalogue's rules alone, as before. A photo that was never graded does not pass a minimum.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from haat.businesses.models import BusinessRole
from haat.businesses.service import get_business, require_role
from haat.core import repository as core_repository
from haat.core.db import utcnow
from haat.core.errors import Conflict
from haat.identity.actor import Actor
from haat.quality import repository
from haat.quality.advice import advice_language, advice_text
from haat.quality.grading import GRADE_RANK, MODEL_VERSION, Assessment, Grade
from haat.quality.models import PhotoGrade, PhotoQualityPolicy
from haat.quality.schemas import (
    AdviceOut,
    CraftsmanshipNoteOut,
    FactorOut,
    PhotoBelowMinimum,
    PhotoQualityOut,
    PhotoQualitySummary,
    PolicyOut,
)


class PhotosBelowMinimum(Conflict):
    code, title = "photos_below_minimum", "Some photos are below this business's minimum grade"


@dataclass(frozen=True)
class Photo:
    """A product photo as the minimum-grade rule sees it: ``image_id`` is None for a photo
    being uploaded, ``grade``/``score`` None for one never graded; ``advice`` holds codes."""

    image_id: uuid.UUID | None
    position: int
    grade: Grade | None = None
    score: float | None = None
    advice: tuple[str, ...] = ()

    @classmethod
    def of(cls, image_id: uuid.UUID, position: int, row: PhotoGrade | None) -> Photo:
        """The photo at ``position`` with its stored grade ``row`` (None: never graded)."""
        if row is None:
            return cls(image_id, position)
        return cls(image_id, position, row.grade, row.score, tuple(row.advice))


async def record_grade(
    session: AsyncSession, image_id: uuid.UUID, assessment: Assessment
) -> PhotoGrade:
    """Store (or replace) the grade of a product image, keeping any craftsmanship note.

    The image must exist (the row references it). Flushes; never commits.
    """
    row = await repository.get_grade(session, image_id)
    if row is None:
        row = PhotoGrade(image_id=image_id)
        await repository.add_grade(session, row)
    row.score = assessment.score
    row.grade = assessment.grade
    row.factors = [
        {"name": f.name, "value": f.value, "unit": f.unit, "score": f.score, "weight": f.weight}
        for f in assessment.factors
    ]
    row.advice = list(assessment.advice)
    row.model_version = assessment.model_version
    row.graded_at = utcnow()
    await core_repository.flush(session)
    return row


async def grades_for(
    session: AsyncSession, image_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, PhotoGrade]:
    """The stored grades of the given images, by image id (missing: never graded)."""
    ids = list(image_ids)
    if not ids:
        return {}
    return {row.image_id: row for row in await repository.grades(session, ids)}


async def graded_by_current_model(session: AsyncSession) -> set[uuid.UUID]:
    """Ids of the images whose stored grade comes from the current `MODEL_VERSION` (the
    others, and images never graded, are due for grading)."""
    return await repository.graded_with(session, MODEL_VERSION)


_MINIMUMS = "haat.quality.minimum_grades"  # session.info: {business id: grade or None}


async def minimum_grades(
    session: AsyncSession, business_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Grade]:
    """Each listed business's minimum grade, for those that set one. Read once per business
    and request (kept in the session's info; `set_policy` keeps it current)."""
    ids = set(business_ids)
    known: dict[uuid.UUID, Grade | None] = session.info.setdefault(_MINIMUMS, {})
    missing = [i for i in ids if i not in known]
    if missing:
        found = await repository.minimum_grades(session, missing)
        known.update({i: found.get(i) for i in missing})
    return {i: grade for i in ids if (grade := known[i]) is not None}


async def reader_language(session: AsyncSession, actor: Actor) -> str:
    """The language advice is shown in: the signed-in user's preferred one, else English."""
    if actor.user_id is None:
        return "en"
    if actor.language is not None:  # read with the caller's row at authentication
        return advice_language(actor.language)
    return advice_language(await repository.preferred_language(session, actor.user_id))


def advice_out(codes: Sequence[str], language: str) -> list[AdviceOut]:
    """Advice codes with their text in ``language``."""
    return [AdviceOut(code=code, text=advice_text(code, language)) for code in codes]


def quality_out(row: PhotoGrade, language: str) -> PhotoQualityOut:
    """A stored grade as shown to staff, with its advice in ``language``."""
    note = None
    if row.note_status is not None:
        note = CraftsmanshipNoteOut(
            status=row.note_status,
            text=row.note,
            model=row.note_model,
            error=row.note_error,
            updated_at=row.note_updated_at,
        )
    return PhotoQualityOut(
        score=row.score,
        grade=row.grade,
        model_version=row.model_version,
        graded_at=row.graded_at,
        factors=[FactorOut(**factor) for factor in row.factors],
        advice=advice_out(row.advice, language),
        language=language,
        craftsmanship_note=note,
    )


def meets(grade: Grade | None, minimum: Grade | None) -> bool:
    """True when ``grade`` is at or above ``minimum`` (always without a minimum; never for
    an ungraded photo under one)."""
    if minimum is None:
        return True
    return grade is not None and GRADE_RANK[grade] >= GRADE_RANK[minimum]


def summary(photos: Sequence[Photo], minimum: Grade | None) -> PhotoQualitySummary:
    """The approval queue's view of a product's photos."""
    graded = [p for p in photos if p.grade is not None]
    lowest = min(graded, key=lambda p: (GRADE_RANK[p.grade], p.score), default=None)  # type: ignore[index]
    primary = min(photos, key=lambda p: p.position, default=None)
    return PhotoQualitySummary(
        photos=len(photos),
        graded=len(graded),
        lowest_grade=lowest.grade if lowest else None,
        lowest_score=lowest.score if lowest else None,
        primary_grade=primary.grade if primary else None,
        primary_score=primary.score if primary else None,
        minimum_grade=minimum.value if minimum else None,  # type: ignore[arg-type]
        meets_minimum=all(meets(p.grade, minimum) for p in photos),
    )


def check_minimum(
    photos: Sequence[Photo], minimum: Grade | None, language: str, *, action: str
) -> None:
    """Raise `PhotosBelowMinimum` (409) naming every photo under ``minimum``, each with its
    grade, score and advice in ``language``; ``action`` ("submit", "publish", "approve",
    "add this photo to") words the message. Nothing happens without a minimum or photos."""
    if minimum is None:
        return
    failing = sorted((p for p in photos if not meets(p.grade, minimum)), key=lambda p: p.position)
    if not failing:
        return
    named = [
        PhotoBelowMinimum(
            image_id=p.image_id,
            position=p.position,
            grade=p.grade,
            score=p.score,
            advice=advice_out(p.advice if p.grade is not None else ("not_graded",), language),
        )
        for p in failing
    ]
    parts = [
        f"photo {p.position + 1} ({p.grade.value if p.grade else 'not graded'}"
        + (f"; {p.advice[0].text}" if p.advice else "")
        + ")"
        for p in named
    ]
    raise PhotosBelowMinimum(
        f"Cannot {action} this product: this business requires photos of grade "
        f"{minimum.value} or better. Below it: " + ", ".join(parts) + ".",
        minimum_grade=minimum.value,
        photos=[p.model_dump(mode="json") for p in named],
    )


async def get_policy(session: AsyncSession, actor: Actor, business_id: uuid.UUID) -> PolicyOut:
    """The business's minimum grade (its members, platform admins). 401/403/404."""
    await get_business(session, business_id)
    await require_role(session, actor, business_id, set(BusinessRole))
    return _policy_out(business_id, await repository.get_policy(session, business_id))


async def set_policy(
    session: AsyncSession, actor: Actor, business_id: uuid.UUID, minimum: str | None
) -> PolicyOut:
    """Require ``minimum`` ("A", "B" or "C") of the business's photos, or none (None).

    Business admins and platform admins; raises 401, 403, 404. Applies from now on to
    submitting, publishing and approving; products already public stay so. One statement
    (``INSERT ... ON CONFLICT DO UPDATE``), so two admins setting it at once leave one row
    and one value. Flushes; never commits.
    """
    await get_business(session, business_id)
    user_id = actor.require_user()
    await require_role(session, actor, business_id, {BusinessRole.ADMIN})
    session.info.get(_MINIMUMS, {}).pop(business_id, None)
    if minimum is None:
        await repository.delete_policy(session, business_id)
        return _policy_out(business_id, None)
    row = await repository.put_policy(session, business_id, Grade(minimum), user_id, utcnow())
    return _policy_out(business_id, row)


def _policy_out(business_id: uuid.UUID, row: PhotoQualityPolicy | None) -> PolicyOut:
    if row is None:
        return PolicyOut(
            business_id=business_id, minimum_grade=None, updated_by=None, updated_at=None
        )
    return PolicyOut(
        business_id=business_id,
        minimum_grade=row.minimum_grade.value,  # type: ignore[arg-type]
        updated_by=row.updated_by_id,
        updated_at=row.updated_at,
    )
