"""Messages: sending (text, optionally an image), history, a message's image.

Functions take a session (and the `Actor` where the caller must be checked) and never
commit: the request, or the Socket.IO event's handler, commits once.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from haat.chat.conversations import ConversationNotFound, get_conversation
from haat.chat.images import ImageUpload
from haat.chat.models import Conversation, Message
from haat.chat.repository import messages as repository
from haat.chat.schemas import MAX_TEXT
from haat.core.db import utcnow
from haat.core.errors import NotFound, Unprocessable
from haat.identity.actor import Actor

MAX_HISTORY = 100


async def history(
    session: AsyncSession,
    actor: Actor,
    conversation_id: uuid.UUID,
    *,
    before: int | None = None,
    since: uuid.UUID | None = None,
    limit: int = 50,
) -> tuple[list[Message], int | None]:
    """Messages of a conversation in ascending ``seq``, at most ``limit`` (1..100).

    ``before=N`` gives the latest messages with ``seq < N`` (older pages); ``since=<message
    id>`` gives the messages stored after that one (reconnect catch-up: call again with the
    last id received until fewer than ``limit`` come back). Neither: the latest messages.
    Returns ``(messages, next_before)``, ``next_before`` null when nothing older is left.
    Raises 404 for non-participants and for a ``since`` id not in this conversation.
    """
    conversation = await get_conversation(session, actor, conversation_id)
    return await messages_of(session, conversation, before=before, since=since, limit=limit)


async def messages_of(
    session: AsyncSession,
    conversation: Conversation,
    *,
    before: int | None = None,
    since: uuid.UUID | None = None,
    limit: int = 50,
) -> tuple[list[Message], int | None]:
    """`history` for a conversation the caller is known to take part in."""
    limit = max(1, min(limit, MAX_HISTORY))
    if since is not None:
        after = await repository.seq_of(session, conversation.id, since)
        if after is None:
            raise NotFound("No such message in this conversation")
        return await repository.messages_after(session, conversation.id, after, limit), None
    found = await repository.latest_messages(session, conversation.id, before, limit)
    next_before = found[0].seq if found and found[0].seq > 1 else None
    return found, next_before


def _check_text(text: str, image: ImageUpload | None) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise Unprocessable(f"A message has at most {MAX_TEXT} characters")
    if not text and image is None:
        raise Unprocessable("A message needs text or an image")
    return text


async def store_message(
    session: AsyncSession,
    conversation_id: uuid.UUID,
    sender_id: uuid.UUID,
    text: str,
    *,
    language: str | None,
    image: ImageUpload | None = None,
) -> Message:
    """Store a message from a sender already known to take part (checked by the caller: the
    REST path through `send_message`, the socket path when the client joined the room).

    The conversation's counter moves on (which also orders concurrent senders), the message
    is stored, and the sender's read position moves to it (a sender has read what they
    answer): one statement on PostgreSQL (`repository.store_message`). Raises 422 for empty
    or over-long text without image and 404 for a conversation that does not exist.
    """
    message = Message(
        id=uuid.uuid4(),
        conversation_id=conversation_id,
        sender_id=sender_id,
        text=_check_text(text, image),
        language=language,
        created_at=utcnow(),
        image_key=image.key if image else None,
        image_content_type=image.content_type if image else None,
        image_width=image.width if image else None,
        image_height=image.height if image else None,
    )
    if not await repository.store_message(session, message):
        raise ConversationNotFound()
    return message


async def send_message(
    session: AsyncSession,
    actor: Actor,
    conversation_id: uuid.UUID,
    text: str,
    *,
    language: str | None,
    image: ImageUpload | None = None,
) -> Message:
    """`store_message` after checking that ``actor`` takes part (404 otherwise)."""
    user_id = actor.require_user()
    await get_conversation(session, actor, conversation_id)
    return await store_message(
        session, conversation_id, user_id, text, language=language, image=image
    )


async def message_image(session: AsyncSession, actor: Actor, message_id: uuid.UUID) -> Message:
    """The message, if it has an image and ``actor`` takes part in its conversation (else
    404)."""
    message = await repository.get_message(session, message_id)
    if message is None or message.image_key is None:
        raise NotFound("No such image")
    await get_conversation(session, actor, message.conversation_id)
    return message
