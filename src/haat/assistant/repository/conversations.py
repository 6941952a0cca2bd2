"""The SQL of conversations (``assistant_sessions``) and their messages, and the asker's row."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from haat.assistant.models import AssistantMessage, AssistantSession
from haat.core import repository
from haat.identity.models import User


async def asker(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The signed-in asker's row (identity's ``users``: language and currency of their
    profile); later reads of it in this session cost no query."""
    return await repository.get(session, User, user_id)


async def new_conversation(session: AsyncSession, user_id: uuid.UUID | None) -> AssistantSession:
    """Store a new conversation, with no question asked yet, of ``user_id`` (None: anonymous)."""
    conversation = AssistantSession(user_id=user_id, prompt_count=0)
    await repository.add(session, conversation)
    return conversation


async def locked_conversation(
    session: AsyncSession, conversation_id: uuid.UUID
) -> AssistantSession | None:
    """The conversation, its row locked for the question being answered (two questions at
    once count twice)."""
    return await session.scalar(
        select(AssistantSession).where(AssistantSession.id == conversation_id).with_for_update()
    )


async def conversation(
    session: AsyncSession, conversation_id: uuid.UUID
) -> AssistantSession | None:
    """The conversation, if it exists."""
    return await repository.get(session, AssistantSession, conversation_id)


async def add_message(session: AsyncSession, message: AssistantMessage) -> None:
    """Store a question and its answer (flushed: its id and time are set)."""
    await repository.add(session, message)


async def last_cited(session: AsyncSession, conversation_id: uuid.UUID) -> list[str]:
    """The product ids (strings) cited by the conversation's latest answer; none without one."""
    cited = await session.scalar(
        select(AssistantMessage.cited_product_ids)
        .where(AssistantMessage.session_id == conversation_id)
        .order_by(AssistantMessage.created_at.desc(), AssistantMessage.id.desc())
        .limit(1)
    )
    return list(cited or [])


async def messages(session: AsyncSession, conversation_id: uuid.UUID) -> list[AssistantMessage]:
    """The conversation's questions and answers, oldest first."""
    rows = await session.scalars(
        select(AssistantMessage)
        .where(AssistantMessage.session_id == conversation_id)
        .order_by(AssistantMessage.created_at, AssistantMessage.id)
    )
    return list(rows)
