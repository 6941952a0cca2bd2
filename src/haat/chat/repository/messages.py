"""Messages and read positions: storing a message (the conversation's counter, the row and
the sender's read position), reading history, and moving read positions forward."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Uuid, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from haat.chat.models import Conversation, Message, ReadState
from haat.core import repository
from haat.core.db import UTCDateTime

# PostgreSQL: the three writes of `store_message` as one statement (data-modifying CTEs run
# in one snapshot, atomically), so that a socket send autocommitted costs one round trip.
_STORE_PG = (
    text(
        """
    WITH c AS (
        UPDATE chat_conversations SET last_seq = last_seq + 1, last_message_at = :now
        WHERE id = :cid RETURNING last_seq
    ), m AS (
        INSERT INTO chat_messages (id, created_at, conversation_id, seq, sender_id, text,
                                   language, image_key, image_content_type, image_width,
                                   image_height)
        SELECT :mid, :now, :cid, c.last_seq, :uid, :text, :language, :image_key,
               :image_content_type, :image_width, :image_height FROM c
        RETURNING seq
    ), r AS (
        INSERT INTO chat_read_states (conversation_id, user_id, last_read_seq, read_at)
        SELECT :cid, :uid, m.seq, :now FROM m
        ON CONFLICT (conversation_id, user_id) DO UPDATE
        SET last_read_seq = GREATEST(chat_read_states.last_read_seq, EXCLUDED.last_read_seq),
            read_at = EXCLUDED.read_at
    )
    SELECT seq FROM m
    """
    )
    .bindparams(
        bindparam("cid", type_=Uuid()),
        bindparam("uid", type_=Uuid()),
        bindparam("mid", type_=Uuid()),
        bindparam("now", type_=UTCDateTime()),
    )
    .execution_options(writes=("chat_conversations", "chat_messages", "chat_read_states"))
)


def _upsert_read(
    session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID, seq: int, now: datetime
) -> Any:
    """An INSERT ... ON CONFLICT that moves a read position forward only."""
    postgres = repository.dialect(session) == "postgresql"
    insert = pg_insert if postgres else sqlite_insert
    stmt = insert(ReadState).values(
        conversation_id=conversation_id, user_id=user_id, last_read_seq=seq, read_at=now
    )
    return stmt.on_conflict_do_update(
        index_elements=[ReadState.conversation_id, ReadState.user_id],
        set_={
            "last_read_seq": func.greatest(ReadState.last_read_seq, seq)
            if postgres
            else func.max(ReadState.last_read_seq, seq),
            "read_at": now,
        },
    )


async def store_message(session: AsyncSession, message: Message) -> bool:
    """Store ``message`` (every field but ``seq``, which this sets) as the next of its
    conversation: the conversation's counter moves on (which also orders concurrent
    senders), the row is inserted, and the sender's read position moves to it. One
    statement on PostgreSQL, three elsewhere. False (nothing written) when the conversation
    does not exist."""
    if repository.dialect(session) == "postgresql":
        seq = await session.scalar(
            _STORE_PG,
            {
                "cid": message.conversation_id,
                "uid": message.sender_id,
                "mid": message.id,
                "now": message.created_at,
                "text": message.text,
                "language": message.language,
                "image_key": message.image_key,
                "image_content_type": message.image_content_type,
                "image_width": message.image_width,
                "image_height": message.image_height,
            },
        )
        if seq is None:
            return False
        message.seq = seq
        return True
    seq = await session.scalar(
        update(Conversation)
        .where(Conversation.id == message.conversation_id)
        .values(last_seq=Conversation.last_seq + 1, last_message_at=message.created_at)
        .returning(Conversation.last_seq)
    )
    if seq is None:
        return False
    message.seq = seq
    await repository.add(session, message)
    assert message.sender_id is not None
    await session.execute(
        _upsert_read(session, message.conversation_id, message.sender_id, seq, message.created_at)
    )
    return True


async def get_message(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    """The message, or None."""
    return await repository.get(session, Message, message_id)


async def seq_of(
    session: AsyncSession, conversation_id: uuid.UUID, message_id: uuid.UUID
) -> int | None:
    """The ``seq`` of message ``message_id`` in the conversation, or None when it is not
    one of its messages."""
    return await session.scalar(
        select(Message.seq).where(
            Message.id == message_id, Message.conversation_id == conversation_id
        )
    )


async def messages_after(
    session: AsyncSession, conversation_id: uuid.UUID, after: int, limit: int
) -> list[Message]:
    """The first ``limit`` messages with ``seq > after``, ascending."""
    rows = await session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.seq > after)
        .order_by(Message.seq)
        .limit(limit)
    )
    return list(rows)


async def latest_messages(
    session: AsyncSession, conversation_id: uuid.UUID, before: int | None, limit: int
) -> list[Message]:
    """The latest ``limit`` messages (with ``seq < before`` when given), ascending."""
    stmt = select(Message).where(Message.conversation_id == conversation_id)
    if before is not None:
        stmt = stmt.where(Message.seq < before)
    found = list(await session.scalars(stmt.order_by(Message.seq.desc()).limit(limit)))
    found.reverse()
    return found


async def move_read(
    session: AsyncSession, conversation_id: uuid.UUID, user_id: uuid.UUID, seq: int, now: datetime
) -> ReadState:
    """Move the user's read position forward to ``seq`` (never back) and return it as
    stored."""
    await session.execute(_upsert_read(session, conversation_id, user_id, seq, now))
    state = await session.scalar(
        select(ReadState)
        .where(ReadState.conversation_id == conversation_id, ReadState.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    assert state is not None
    return state


async def read_states(session: AsyncSession, conversation_id: uuid.UUID) -> list[ReadState]:
    """Every participant's read position in the conversation, earliest read first."""
    rows = await session.scalars(
        select(ReadState)
        .where(ReadState.conversation_id == conversation_id)
        .order_by(ReadState.read_at)
    )
    return list(rows)
