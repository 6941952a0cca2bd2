"""The storefront's assistant widget: a question posted from any storefront page, answered by
the same `haat.assistant.service.ask` as `POST /api/assistant/messages`.

HTMX posts get the answer fragment (appended to the widget's log); a plain form post gets a
page with it. The conversation's id is kept in the signed session cookie; a full conversation
(the prompt limit) is said in the widget with a button for a new one.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Form
from fastapi.responses import Response

from haat.assistant import service
from haat.assistant.schemas import AskIn
from haat.assistant.service import AssistantSessionNotFound, SessionLimitReached
from haat.core.deps import AppSettings, ClientIp, DbSession, Limiter
from haat.core.errors import TooManyRequests
from haat.web.messages import error_message
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import CurrentViewer, Viewer

router = page_router()
_SESSION = "assistant_session"


def _render(viewer: Viewer, context: dict[str, Any], status_code: int = 200) -> Response:
    htmx = viewer.request.headers.get("hx-request") == "true"
    template = "partials/assistant_turn.html" if htmx else "store/assistant.html"
    # HTMX swaps only 2xx answers by default: the limit is shown as a turn of the log.
    return render(viewer, template, context, status_code=200 if htmx else status_code)


@router.post("/assistant")
async def ask(
    viewer: CurrentViewer,
    session: DbSession,
    ip: ClientIp,
    settings: AppSettings,
    limiter: Limiter,
    message: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    cookie = viewer.request.session
    try:
        session_id = uuid.UUID(cookie[_SESSION]) if _SESSION in cookie else None
    except ValueError:
        session_id = None

    def question(sid: uuid.UUID | None) -> AskIn:
        return AskIn(message=message, session_id=sid, language=viewer.lang.code)  # type: ignore[arg-type]

    try:
        try:
            answer = await service.ask(
                session, viewer.actor, ip, question(session_id), settings=settings, limiter=limiter
            )
        except AssistantSessionNotFound:  # signed in or out since: start a new one
            answer = await service.ask(
                session, viewer.actor, ip, question(None), settings=settings, limiter=limiter
            )
    except SessionLimitReached as exc:
        return _render(viewer, {"question": message, "error": exc.detail, "full": True}, 429)
    except TooManyRequests:
        text = error_message(viewer, "rate_limited", "", 429)
        return _render(viewer, {"question": message, "error": text}, 429)
    cookie[_SESSION] = str(answer.session_id)
    return _render(viewer, {"question": message, "answer": answer})


@router.post("/assistant/new")
async def new_conversation(viewer: CurrentViewer) -> Response:
    """Forget the conversation: the next question starts a new one."""
    viewer.request.session.pop(_SESSION, None)
    return _render(viewer, {"cleared": True})
