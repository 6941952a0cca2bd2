"""Response and request models of photo quality (product images, the approval queue, policies)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from haat.quality.grading import Grade
from haat.quality.models import NoteStatus

SCOPE = (
    "Grades the photograph (size, focus, light, noise, compression, colour, framing), "
    "not the craftsmanship of the product."
)
MinimumGrade = Literal["A", "B", "C"]


class FactorOut(BaseModel):
    name: str = Field(description="resolution, sharpness, exposure, highlight_clipping, ...")
    value: float = Field(description="the raw measure, in `unit`")
    unit: str
    score: float = Field(ge=0, le=1, description="this factor's sub-score")
    weight: float = Field(ge=0, le=1, description="its weight in the score")


class AdviceOut(BaseModel):
    code: str
    text: str = Field(description="in the reader's language")


class CraftsmanshipNoteOut(BaseModel):
    """The optional provider's note; it is a model's opinion of what the photo shows."""

    status: NoteStatus
    text: str | None
    model: str | None
    error: str | None
    updated_at: datetime | None


class PhotoQualityOut(BaseModel):
    """A photo's grade. Shown to its business's members and platform admins only."""

    scope: str = Field(default=SCOPE, description="what is graded")
    score: float = Field(ge=0, le=1)
    grade: Grade = Field(description="A >= 0.8, B >= 0.6, C >= 0.4, else retake")
    model_version: str
    graded_at: datetime
    factors: list[FactorOut]
    advice: list[AdviceOut] = Field(description="what to fix first comes first")
    language: str = Field(description="language of the advice texts")
    craftsmanship_note: CraftsmanshipNoteOut | None = None


class PhotoQualitySummary(BaseModel):
    """A product's photos at a glance, for the approval queue."""

    photos: int
    graded: int
    lowest_grade: Grade | None
    lowest_score: float | None
    primary_grade: Grade | None = Field(description="grade of the first photo")
    primary_score: float | None
    minimum_grade: MinimumGrade | None = Field(description="the business's minimum, if any")
    meets_minimum: bool = Field(
        description="every photo is graded and at or above the minimum (true without one)"
    )


class PolicyIn(BaseModel):
    minimum_grade: MinimumGrade | None = Field(
        description="photos below it block submitting and publishing; null removes it"
    )


class PolicyOut(BaseModel):
    business_id: uuid.UUID
    minimum_grade: MinimumGrade | None
    updated_by: uuid.UUID | None
    updated_at: datetime | None


class PhotoBelowMinimum(BaseModel):
    """One photo named in a 409 ``photos_below_minimum`` problem."""

    image_id: uuid.UUID | None = Field(description="null for a photo being uploaded")
    position: int
    grade: Grade | None = Field(description="null when not graded")
    score: float | None
    advice: list[AdviceOut]
