"""`/api/chat`: conversations, history, sending, read receipts, images."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile

from haat.chat import conversations, messages, reads
from haat.chat.images import chat_storage, image_headers, read_image, store_image
from haat.chat.language import detect_language
from haat.chat.models import Message
from haat.chat.present import conversation_out, message_out
from haat.chat.realtime import ChatHub, Hub, room
from haat.chat.schemas import (
    MAX_TEXT,
    ConversationCreate,
    ConversationList,
    ConversationOut,
    History,
    MessageCreate,
    MessageOut,
    ReadCreate,
    ReadOut,
)
from haat.config import Settings
from haat.core.db import on_commit
from haat.core.deps import AppSettings, DbSession
from haat.core.errors import PayloadTooLarge, responses
from haat.core.pagination import Page, PageParams, page_params
from haat.identity.actor import Actor
from haat.identity.auth import AuthenticatedActor
from haat.identity.service import get_user

router = APIRouter(prefix="/api/chat", tags=["chat"])
Paging = Annotated[PageParams, Depends(page_params)]


async def _language(session: DbSession, actor: Actor) -> str:
    """The caller's preferred language (English for a user gone meanwhile)."""
    user = await get_user(session, actor.require_user())
    return user.preferred_language if user else "en"


async def _send(
    hub: ChatHub, settings: Settings, actor: Actor, session: DbSession, message: Message
) -> None:
    await hub.limiter.hit(
        settings.chat_send_limit,
        "chat-send",
        str(actor.require_user()),
        detail="Too many messages; wait a moment",
    )
    on_commit(session, lambda: hub.publish_after_commit(message))


@router.get("/conversations", response_model=ConversationList, responses=responses(401, 422))
async def list_conversations(
    hub: Hub,
    actor: AuthenticatedActor,
    session: DbSession,
    paging: Paging,
) -> ConversationList:
    """The caller's conversations, latest activity first, each with its last message (and
    its translation into the caller's language when one is cached) and the unread count."""
    rows, counted = await conversations.list_conversations(session, actor, paging)
    language = await _language(session, actor)
    cached = await hub.translations.cached(
        (r.last_message.id for r in rows if r.last_message is not None), language
    )
    page = Page.of([conversation_out(r, cached, language) for r in rows], counted, paging)
    return ConversationList(items=page.items, total=page.total, page=page.page, pages=page.pages)


@router.post(
    "/conversations",
    status_code=201,
    response_model=ConversationOut,
    responses=responses(401, 404, 422),
)
async def start_conversation(
    data: ConversationCreate, actor: AuthenticatedActor, session: DbSession
) -> ConversationOut:
    """Open (or find again) the caller's conversation with a business, optionally about one
    of its approved products or one of the caller's orders from it."""
    conversation = await conversations.start_conversation(session, actor, data)
    row = await conversations.conversation_row(session, actor, conversation.id)
    return conversation_out(row, {}, await _language(session, actor))


@router.get(
    "/conversations/{conversation_id:uuid}/messages",
    response_model=History,
    responses=responses(401, 404, 422),
)
async def history(
    conversation_id: uuid.UUID,
    hub: Hub,
    actor: AuthenticatedActor,
    session: DbSession,
    before: Annotated[int | None, Query(ge=1, description="older than this seq")] = None,
    since: Annotated[uuid.UUID | None, Query(description="after this message id")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> History:
    """Messages in ascending order: the latest ``limit``, older ones with ``before=<seq>``
    (the ``next_before`` of the previous page), or those after a message id with
    ``since=`` (catch-up after a reconnect). Each carries the caller's translation when a
    translator is configured (at most 2 s; else the original only)."""
    found, next_before = await messages.history(
        session, actor, conversation_id, before=before, since=since, limit=limit
    )
    language = await _language(session, actor)
    translated = await hub.translations.translate_many(
        ((m.id, m.text, m.language) for m in found), language
    )
    return History(
        items=[message_out(m, translation=translated.get(m.id), language=language) for m in found],
        next_before=next_before,
    )


@router.post(
    "/conversations/{conversation_id:uuid}/messages",
    status_code=201,
    response_model=MessageOut,
    responses=responses(401, 404, 422, 429),
)
async def send_message(
    conversation_id: uuid.UUID,
    data: MessageCreate,
    hub: Hub,
    settings: AppSettings,
    actor: AuthenticatedActor,
    session: DbSession,
) -> MessageOut:
    """Send a text message (at most 4,000 characters). It is stored, then emitted to the
    conversation's Socket.IO room once the transaction commits."""
    message = await messages.send_message(
        session, actor, conversation_id, data.text, language=detect_language(data.text)
    )
    await _send(hub, settings, actor, session, message)
    return message_out(message)


@router.post(
    "/conversations/{conversation_id:uuid}/images",
    status_code=201,
    response_model=MessageOut,
    responses=responses(401, 404, 413, 415, 422, 429),
)
async def send_image(
    conversation_id: uuid.UUID,
    hub: Hub,
    settings: AppSettings,
    actor: AuthenticatedActor,
    session: DbSession,
    file: Annotated[UploadFile, File(description="PNG, JPEG, GIF or WEBP, at most 16 MB")],
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> MessageOut:
    """Send an image (the catalogue's upload rules), with optional text. Only the
    conversation's participants can fetch it (``image_url``)."""
    await conversations.get_conversation(session, actor, conversation_id)
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"Images are limited to {settings.max_upload_bytes // 2**20} MB")
    image = await store_image(chat_storage(settings), settings, conversation_id, data)
    message = await messages.send_message(
        session, actor, conversation_id, text, language=detect_language(text), image=image
    )
    await _send(hub, settings, actor, session, message)
    return message_out(message)


@router.get(
    "/messages/{message_id:uuid}/image",
    responses={200: {"content": {"image/jpeg": {}, "image/webp": {}}}, **responses(401, 404, 422)},
)
async def message_image(
    message_id: uuid.UUID,
    settings: AppSettings,
    actor: AuthenticatedActor,
    session: DbSession,
    thumbnail: bool = False,
) -> Response:
    """A message's image (``?thumbnail=true``: 320 px), for participants only (404 else)."""
    message = await messages.message_image(session, actor, message_id)
    data = read_image(settings, message, thumbnail=thumbnail)
    return Response(data, media_type=message.image_content_type, headers=image_headers())


@router.post(
    "/conversations/{conversation_id:uuid}/read",
    response_model=ReadOut,
    responses=responses(401, 404, 422),
)
async def mark_read(
    conversation_id: uuid.UUID,
    hub: Hub,
    actor: AuthenticatedActor,
    session: DbSession,
    data: ReadCreate | None = None,
) -> ReadOut:
    """Mark the conversation read up to ``seq`` (default: everything). Emitted as ``read``
    to the room after the commit."""
    state, unread = await reads.mark_read(
        session, actor, conversation_id, data.seq if data else None
    )
    out = ReadOut(
        conversation_id=conversation_id,
        user_id=state.user_id,
        last_read_seq=state.last_read_seq,
        read_at=state.read_at,
        unread=unread,
    )
    event = out.model_dump(mode="json", exclude={"unread"})
    on_commit(session, lambda: hub.spawn(hub.sio.emit("read", event, room=room(conversation_id))))
    return out


@router.get(
    "/conversations/{conversation_id:uuid}/reads",
    response_model=list[ReadOut],
    responses=responses(401, 404),
)
async def read_receipts(
    conversation_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession
) -> list[ReadOut]:
    """Each participant's read position (read receipts); ``unread`` is theirs."""
    conversation = await conversations.get_conversation(session, actor, conversation_id)
    states = await reads.read_states(session, actor, conversation_id)
    return [
        ReadOut(
            conversation_id=conversation_id,
            user_id=s.user_id,
            last_read_seq=s.last_read_seq,
            read_at=s.read_at,
            unread=max(0, conversation.last_seq - s.last_read_seq),
        )
        for s in states
    ]
