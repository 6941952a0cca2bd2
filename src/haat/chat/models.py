"""Chat tables: conversations between a buyer and a business, their messages, each
participant's read position, and cached translations of messages.

Messages of a conversation are numbered 1, 2, 3... (``seq``) in the order they were stored;
``conversations.last_seq`` is the latest number, so a participant's unread count is
``last_seq - last_read_seq`` without counting rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from haat.core.db import Base, IdMixin, utcnow


class Conversation(IdMixin, Base):
    """A buyer talking to a business, optionally about one product or one order. Any member
    of the business (any role) answers for it."""

    __tablename__ = "chat_conversations"
    __table_args__ = (
        Index("ix_chat_conversations_buyer_last", "buyer_id", "last_message_at"),
        Index("ix_chat_conversations_business_last", "business_id", "last_message_at"),
    )

    buyer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("products.id", ondelete="SET NULL")
    )
    order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(IdMixin, Base):
    """One message. ``text`` is the original as sent (may be empty with an image);
    ``language`` the detected language (a Haat language code, None when undecided).
    ``image_key`` is a key in the private chat storage."""

    __tablename__ = "chat_messages"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),)

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(Integer)
    sender_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    image_key: Mapped[str | None] = mapped_column(String(200))
    image_content_type: Mapped[str | None] = mapped_column(String(32))
    image_width: Mapped[int | None] = mapped_column(Integer)
    image_height: Mapped[int | None] = mapped_column(Integer)


class ReadState(Base):
    """How far one participant has read a conversation (their read receipt)."""

    __tablename__ = "chat_read_states"

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_seq: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageTranslation(Base):
    """A message's text in one language, as a provider gave it (the cache)."""

    __tablename__ = "chat_message_translations"

    message_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chat_messages.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
