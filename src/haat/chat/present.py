"""Messages and conversations as the API and the Socket.IO events show them."""

from __future__ import annotations

from typing import Any

from haat.chat.conversations import ConversationRow
from haat.chat.models import Message
from haat.chat.schemas import ConversationOut, MessageOut, TranslationOut


def image_url(message: Message) -> str | None:
    """Where a participant fetches the message's image (bearer token; the web pages use
    ``/chat/messages/{id}/image`` with their cookie)."""
    return f"/api/chat/messages/{message.id}/image" if message.image_key else None


def message_out(
    message: Message, *, translation: str | None = None, language: str | None = None
) -> MessageOut:
    """``translation`` is the text in ``language`` (the reader's), when there is one."""
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        seq=message.seq,
        sender_id=message.sender_id,
        text=message.text,
        language=message.language,
        image_url=image_url(message),
        image_width=message.image_width,
        image_height=message.image_height,
        created_at=message.created_at,
        translated=translation is not None,
        translation=TranslationOut(language=language, text=translation)
        if translation is not None and language is not None
        else None,
    )


def message_payload(message: Message, **kw: Any) -> dict[str, Any]:
    """`message_out` as JSON-ready data (the ``message`` event)."""
    return message_out(message, **kw).model_dump(mode="json")


def conversation_out(
    row: ConversationRow, translations: dict[Any, str], language: str
) -> ConversationOut:
    c = row.conversation
    last = row.last_message
    return ConversationOut(
        id=c.id,
        buyer_id=c.buyer_id,
        buyer_name=row.buyer_name,
        business_id=c.business_id,
        business_name=row.business_name,
        product_id=c.product_id,
        order_id=c.order_id,
        created_at=c.created_at,
        last_message_at=c.last_message_at,
        last_seq=c.last_seq,
        unread=row.unread,
        last_message=message_out(last, translation=translations.get(last.id), language=language)
        if last is not None
        else None,
    )
