"""Tables of the shopping assistant: conversations (sessions), each question with its
answer, and the precomputed sentence embeddings of products used by the re-rank.

* ``assistant_sessions``: one conversation, of a signed-in user or an anonymous visitor
  (``user_id`` null); ``prompt_count`` is what the per-session limit counts.
* ``assistant_messages``: one question and the answer given, with the product ids the answer
  cited, the engine that wrote it (``local`` or ``llm``) and the detected intent.
* ``product_embeddings``: one row per indexed product, the model's unit vector as little-endian
  float32 bytes (``dimensions`` values) and the product's ``updated_at`` it was computed from,
  so that a refresh recomputes only what changed.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, TimestampMixin, utcnow


class AssistantSession(TimestampMixin, Base):
    """A conversation with the assistant; anonymous when ``user_id`` is null."""

    __tablename__ = "assistant_sessions"

    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    prompt_count: Mapped[int] = mapped_column(default=0)


class AssistantMessage(IdMixin, Base):
    """A question, the answer given, and what the answer rests on."""

    __tablename__ = "assistant_messages"
    __table_args__ = (Index("ix_assistant_messages_session_created", "session_id", "created_at"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("assistant_sessions.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    intent: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(16))
    # Product ids (strings) in the order the answer cites them.
    cited_product_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ProductEmbedding(Base):
    """The sentence embedding of one product's public text (title, attributes, description)."""

    __tablename__ = "product_embeddings"

    product_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(100))
    dimensions: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    source_updated_at: Mapped[datetime]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
