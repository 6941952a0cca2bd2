"""Tables of photo quality: each product photo's grade, and each business's minimum grade.

Both belong to `quality/`. ``photo_grades`` has one row per product image (its primary key is
the image's id; the row goes with the image); ``photo_quality_policies`` one row per business
that requires a minimum grade (no row: no minimum).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, enum_type, utcnow
from haat.quality.grading import Grade


class NoteStatus(enum.StrEnum):
    """Where the optional provider's craftsmanship note of a photo stands."""

    QUEUED = "queued"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class PhotoGrade(Base):
    """The grading of one stored product photo (see `grading.Assessment`).

    ``factors`` is a list of ``{name, value, unit, score, weight}``; ``advice`` a list of
    advice codes, costliest first. The ``note_*`` columns hold the optional provider's
    craftsmanship note, which a re-grade keeps.
    """

    __tablename__ = "photo_grades"

    image_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("product_images.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[Grade] = mapped_column(enum_type(Grade, 8))
    factors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    advice: Mapped[list[str]] = mapped_column(JSON)
    model_version: Mapped[str] = mapped_column(String(32), index=True)
    graded_at: Mapped[datetime] = mapped_column(default=utcnow)
    note_status: Mapped[NoteStatus | None] = mapped_column(enum_type(NoteStatus, 16))
    note: Mapped[str | None] = mapped_column(Text)
    note_model: Mapped[str | None] = mapped_column(String(100))
    note_error: Mapped[str | None] = mapped_column(Text)
    note_updated_at: Mapped[datetime | None]


class PhotoQualityPolicy(Base):
    """A business's minimum photo grade for submitting and publishing its products."""

    __tablename__ = "photo_quality_policies"

    business_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True
    )
    minimum_grade: Mapped[Grade] = mapped_column(enum_type(Grade, 8))
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
