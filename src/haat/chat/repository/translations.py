"""The cache of message translations."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.chat.models import MessageTranslation
from haat.core import repository


async def cached(
    session: AsyncSession, message_ids: list[uuid.UUID], language: str
) -> dict[uuid.UUID, str]:
    """``{message id: text}`` of the cached translations into ``language`` of the given
    messages: one query."""
    rows = await session.execute(
        select(MessageTranslation.message_id, MessageTranslation.text).where(
            MessageTranslation.message_id.in_(message_ids),
            MessageTranslation.language == language,
        )
    )
    return {mid: text for mid, text in rows.all()}


async def add(session: AsyncSession, translation: MessageTranslation) -> None:
    """Cache one translation (flushed: a duplicate raises `IntegrityError` here)."""
    await repository.add(session, translation)
