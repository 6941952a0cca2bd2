"""Chat pages: the conversation list (storefront and seller portal) and one conversation,
with live updates from `static/chat.js` over Socket.IO. Without JavaScript the pages still
work: the form posts the message and the page reloads."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from haat.chat import service
from haat.chat.images import image_headers, read_image
from haat.chat.language import detect_language
from haat.chat.realtime import ChatHub
from haat.chat.schemas import MAX_TEXT, ConversationCreate
from haat.config import Settings
from haat.core.db import Database, on_commit, session_scope
from haat.core.deps import DbSession, provided
from haat.core.errors import HaatError
from haat.core.security import encode_access_token
from haat.web.messages import error_message
from haat.web.routes import page_router
from haat.web.routes.seller_products import portal, portal_context
from haat.web.templating import render
from haat.web.viewer import CurrentViewer

router = page_router()
SOCKET_TOKEN_TTL_S = 10 * 60


def _hub(request: Request) -> ChatHub:
    return provided(ChatHub)(request)


@router.get("/chat")
async def conversations(viewer: CurrentViewer, session: DbSession) -> Response:
    rows, _ = await service.list_conversations(session, viewer.actor, per_page=100)
    return render(viewer, "chat/list.html", {"rows": rows})


@router.get("/seller/{business_id:uuid}/chat")
async def seller_conversations(
    business_id: uuid.UUID, viewer: CurrentViewer, session: DbSession
) -> Response:
    business, role = await portal(viewer, session, business_id)
    rows, _ = await service.list_conversations(
        session, viewer.actor, per_page=100, business_id=business_id
    )
    return render(
        viewer, "seller/chat.html", {**portal_context(business, role, "chat"), "rows": rows}
    )


@router.get("/chat/token")
async def socket_token(request: Request, viewer: CurrentViewer) -> JSONResponse:
    """A short-lived access token for the page's Socket.IO connection (same origin only:
    no CORS header, so other sites cannot read it)."""
    user_id = viewer.actor.require_user()
    settings: Settings = provided(Settings)(request)
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
    try:
        conversation = await service.start_conversation(
            session,
            viewer.actor,
            ConversationCreate(business_id=business_id, product_id=product_id),
        )
    except HaatError as exc:
        if exc.status == 401:
            raise
        await session.rollback()
        viewer.flash(error_message(viewer, exc.code, exc.detail, exc.status), "error")
        return RedirectResponse(f"/products/{product_id}" if product_id else "/", status_code=303)
    return RedirectResponse(f"/chat/{conversation.id}", status_code=303)


@router.get("/chat/{conversation_id:uuid}")
async def conversation(
    conversation_id: uuid.UUID, request: Request, viewer: CurrentViewer, session: DbSession
) -> Response:
    actor = viewer.actor
    talk = await service.get_conversation(session, actor, conversation_id)
    messages, next_before = await service.messages_of(session, talk, limit=100)
    language = viewer.lang.code
    translated = await _hub(request).translations.translate_many(
        ((m.id, m.text, m.language) for m in messages), language
    )
    rows, _ = await service.list_conversations(session, actor, per_page=100)
    row = next((r for r in rows if r.conversation.id == talk.id), None)
    if messages:
        # A GET's session is read-only (on SQLite a deferred transaction that cannot take the
        # write lock later): the read receipt gets a write transaction of its own.
        async with session_scope(provided(Database)(request)) as writer:
            await service.mark_read(writer, actor, talk.id, messages[-1].seq, checked=True)
    return render(
        viewer,
        "chat/conversation.html",
        {
            "talk": talk,
            "row": row,
            "messages": messages,
            "translated": translated,
            "older": next_before,
            "me": actor.user_id,
            "max_text": MAX_TEXT,
        },
    )


@router.post("/chat/{conversation_id:uuid}")
async def send(
    conversation_id: uuid.UUID,
    request: Request,
    viewer: CurrentViewer,
    session: DbSession,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
) -> Response:
    """The form's fallback (pages with JavaScript send over the socket)."""
    hub = _hub(request)
    settings: Settings = provided(Settings)(request)
    try:
        await hub.limiter.hit(
            settings.chat_send_limit, "chat-send", str(viewer.actor.require_user())
        )
        message = await service.send_message(
            session, viewer.actor, conversation_id, text, language=detect_language(text)
        )
    except HaatError as exc:
        if exc.status in (401, 404):
            raise
        await session.rollback()
        viewer.flash(error_message(viewer, exc.code, exc.detail, exc.status), "error")
    else:
        on_commit(session, lambda: hub.publish_after_commit(message))
    return RedirectResponse(f"/chat/{conversation_id}", status_code=303)


@router.get("/chat/messages/{message_id:uuid}/image")
async def image(
    message_id: uuid.UUID,
    request: Request,
    viewer: CurrentViewer,
    session: DbSession,
    thumbnail: bool = False,
) -> Response:
    message = await service.message_image(session, viewer.actor, message_id)
    data = read_image(provided(Settings)(request), message, thumbnail=thumbnail)
    return Response(data, media_type=message.image_content_type, headers=image_headers())
