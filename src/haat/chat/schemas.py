"""Request and response models of `/api/chat` (the Socket.IO events carry the same shapes as
JSON: `MessageOut` for ``message``, `ReadOut` for ``read``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

MAX_TEXT = 4000


class ConversationCreate(BaseModel):
    """Start (or find) the caller's conversation with a business, optionally about one of its
    products or one of the caller's orders from it."""

    business_id: uuid.UUID
    product_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None


class MessageCreate(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class ReadCreate(BaseModel):
    """Mark read up to message ``seq`` (default: the latest)."""

    seq: int | None = Field(None, ge=0)


class TranslationOut(BaseModel):
    language: str
    text: str


class MessageOut(BaseModel):
    """A message. ``text`` is the original; ``translation`` the text in the reader's
    language when a translator gave one (else null, and ``translated`` is false)."""

    id: uuid.UUID
    conversation_id: uuid.UUID
    seq: int
    sender_id: uuid.UUID | None
    text: str
    language: str | None
    image_url: str | None
    image_width: int | None
    image_height: int | None
    created_at: datetime
    translated: bool = False
    translation: TranslationOut | None = None


class ConversationOut(BaseModel):
    id: uuid.UUID
    buyer_id: uuid.UUID
    buyer_name: str
    business_id: uuid.UUID
    business_name: str
    product_id: uuid.UUID | None
    order_id: uuid.UUID | None
    created_at: datetime
    last_message_at: datetime
    last_seq: int
    unread: int
    last_message: MessageOut | None


class ConversationList(BaseModel):
    items: list[ConversationOut]
    total: int
    page: int
    pages: int


class History(BaseModel):
    """Messages in ascending ``seq``. ``next_before`` is the cursor for older messages
    (``?before=``), null at the start of the conversation."""

    items: list[MessageOut]
    next_before: int | None


class ReadOut(BaseModel):
    conversation_id: uuid.UUID
    user_id: uuid.UUID
    last_read_seq: int
    read_at: datetime
    unread: int
