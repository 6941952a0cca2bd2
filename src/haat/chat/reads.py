"""Read positions: marking a conversation read, and every participant's read receipt."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.chat.conversations import existing_conversation, get_conversation
from haat.chat.models import ReadState
from haat.chat.repository import messages as repository
from haat.core.db import utcnow
from haat.identity.actor import Actor


async def mark_read(
    session: AsyncSession,
    actor: Actor,
    conversation_id: uuid.UUID,
    seq: int | None = None,
    *,
    checked: bool = False,
) -> tuple[ReadState, int]:
    """Move the caller's read position to ``seq`` (default and cap: the latest message);
    it never moves back. ``checked`` skips the participant check (the socket path).
    Returns the read state and the caller's unread count after it. 404 for non-participants.
    """
    user_id = actor.require_user()
    if checked:
        conversation = await existing_conversation(session, conversation_id)
    else:
        conversation = await get_conversation(session, actor, conversation_id)
    target = conversation.last_seq if seq is None else min(seq, conversation.last_seq)
    state = await repository.move_read(session, conversation_id, user_id, target, utcnow())
    return state, max(0, conversation.last_seq - state.last_read_seq)


async def read_states(
    session: AsyncSession, actor: Actor, conversation_id: uuid.UUID
) -> list[ReadState]:
    """Every participant's read position in the conversation (read receipts)."""
    await get_conversation(session, actor, conversation_id)
    return await repository.read_states(session, conversation_id)
