"""Registry tables: one row per trained model version."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    column,
)
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, enum_type


class ModelStatus(enum.StrEnum):
    """A version is trained as a candidate; one champion per name serves; the others are
    retired (they keep their rows and artefacts, so a rollback can re-crown them)."""

    CANDIDATE = "candidate"
    CHAMPION = "champion"
    RETIRED = "retired"


class ModelVersion(IdMixin, Base):
    """A trained model: what it learned from, how it scored, where its artefact is.

    ``metrics`` are the hold-out figures of the model's own kind (e.g. ``rmse`` in USD for
    the diamond model); ``comparison`` records the promotion decision taken when it was
    trained or promoted (the champion it was compared with and both scores on the same
    hold-out). ``crowned_at`` is the last time it became champion; ``rolled_back_at`` marks a
    champion withdrawn by a rollback (never re-crowned by a later rollback).
    """

    __tablename__ = "ml_model_versions"
    __table_args__ = (
        UniqueConstraint("name", "version"),
        # At most one champion per name, enforced by the database (a partial unique index).
        Index(
            "uq_ml_model_versions_champion",
            "name",
            unique=True,
            sqlite_where=column("status") == "champion",
            postgresql_where=column("status") == "champion",
        ),
    )

    name: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[ModelStatus] = mapped_column(enum_type(ModelStatus, 16), index=True)
    data_start: Mapped[date | None]
    data_end: Mapped[date | None]
    n_rows: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    comparison: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    artefact_path: Mapped[str] = mapped_column(String(500))
    artefact_sha256: Mapped[str] = mapped_column(String(64))
    training_seconds: Mapped[float] = mapped_column(Float)
    trained_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    crowned_at: Mapped[datetime | None]
    rolled_back_at: Mapped[datetime | None]
