"""Chat pages: the conversation list (storefront and seller portal) and one conversation,
with live updates from `static/chat.js` over Socket.IO. Without JavaScript the pages still
work: the form posts the message and the page reloads."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Form
from fastapi.responses import JSONResponse, RedirectResponse, Response

from haat.chat import conversations, messages, reads
from haat.chat.images import image_headers, read_image
from haat.chat.language import detect_language
from haat.chat.realtime import Hub
from haat.chat.schemas import MAX_TEXT, ConversationCreate
from haat.core.db import on_commit, session_scope
from haat.core.deps import AppDatabase, AppSettings, DbSession
from haat.core.pagination import PageParams
from haat.core.security import encode_access_token
from haat.web import refusals
from haat.web.portal import portal, portal_context
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer

router = page_router()
SOCKET_TOKEN_TTL_S = 10 * 60
LISTED = PageParams(1, 100)  # the conversations a list page shows


@router.get("/chat")
async def conversation_list(viewer: CurrentViewer, session: DbSession) -> Response:
    rows, _ = await conversations.list_conversations(session, viewer.actor, LISTED)
    return render(viewer, "chat/list.html", {"rows": rows})


@router.get("/seller/{business_id:uuid}/chat")
async def seller_conversations(
    business_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    business, role = await portal(viewer, session, business_id)
    rows, _ = await conversations.list_conversations(
        session, viewer.actor, LISTED, business_id=business_id
    )
    return render(
        viewer, "seller/chat.html", {**portal_context(business, role, "chat"), "rows": rows}
    )


@router.get("/chat/token")
async def socket_token(viewer: CurrentViewer, settings: AppSettings) -> JSONResponse:
    """A short-lived access token for the page's Socket.IO connection (same origin only:
    no CORS header, so other sites cannot read it)."""
    user_id = viewer.actor.require_user()
    token, expires = encode_access_token(
        settings.secret_key, settings.jwt_algorithm, user_id, SOCKET_TOKEN_TTL_S
    )
    return JSONResponse({"token": token, "expires_at": expires.isoformat()})


@router.post("/chat/start")
async def start(
    viewer: CurrentViewer,
    session: DbSession,
    business_id: Annotated[uuid.UUID, Form()],
    product_id: Annotated[uuid.UUID | None, Form()] = None,
) -> Response:
    """Open the conversation with a business about a product (its page's button)."""
    async with refusals.flashed(viewer, session, passes=(401,)) as refused:
        conversation = await conversations.start_conversation(
            session,
            viewer.actor,
            ConversationCreate(business_id=business_id, product_id=product_id),
        )
    if refused:
        return RedirectResponse(f"/products/{product_id}" if product_id else "/", status_code=303)
    return RedirectResponse(f"/chat/{conversation.id}", status_code=303)


@router.get("/chat/{conversation_id:uuid}")
async def conversation(
    conversation_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    db: AppDatabase,
    hub: Hub,
) -> Response:
    actor = viewer.actor
    talk = await conversations.get_conversation(session, actor, conversation_id)
    found, next_before = await messages.messages_of(session, talk, limit=100)
    translated = await hub.translations.translate_many(
        ((m.id, m.text, m.language) for m in found), viewer.lang.code
    )
    row = await conversations.conversation_row(session, actor, talk.id)
    if found:
        # A GET's session is read-only (on SQLite a deferred transaction that cannot take the
        # write lock later): the read receipt is a unit of work of its own, committed here.
        async with session_scope(db) as writer:
            await reads.mark_read(writer, actor, talk.id, found[-1].seq, checked=True)
    return render(
        viewer,
        "chat/conversation.html",
        {
            "talk": talk,
            "row": row,
            "messages": found,
            "translated": translated,
            "older": next_before,
            "me": actor.user_id,
            "max_text": MAX_TEXT,
        },
    )


@router.post("/chat/{conversation_id:uuid}")
async def send(
    conversation_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    hub: Hub,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    """The form's fallback (pages with JavaScript send over the socket)."""
    async with refusals.flashed(viewer, session, passes=(401, 404)) as refused:
        await hub.limiter.hit(
            settings.chat_send_limit, "chat-send", str(viewer.actor.require_user())
        )
        message = await messages.send_message(
            session, viewer.actor, conversation_id, text, language=detect_language(text)
        )
    if not refused:
        on_commit(session, lambda: hub.publish_after_commit(message))
    return RedirectResponse(f"/chat/{conversation_id}", status_code=303)


@router.get("/chat/messages/{message_id:uuid}/image")
async def image(
    message_id: uuid.UUID,
    viewer: CurrentViewer,
    session: DbSession,
    settings: AppSettings,
    thumbnail: bool = False,
) -> Response:
    message = await messages.message_image(session, viewer.actor, message_id)
    data = read_image(settings, message, thumbnail=thumbnail)
    return Response(data, media_type=message.image_content_type, headers=image_headers())
