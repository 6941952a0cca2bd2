"""`/api/assistant`: ask the shopping assistant, read a conversation back."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from haat.assistant import service
from haat.assistant.schemas import AnswerOut, AskIn, SessionOut
from haat.core.deps import AppSettings, ClientIp, DbSession, Limiter
from haat.core.errors import responses
from haat.identity.auth import OPTIONAL_BEARER, AuthenticatedActor, CurrentActor

router = APIRouter(prefix="/api/assistant", tags=["assistant"])


@router.post(
    "/messages",
    response_model=AnswerOut,
    responses=responses(401, 404, 422, 429),
    openapi_extra={"security": OPTIONAL_BEARER},
)
async def ask(
    data: AskIn,
    actor: CurrentActor,
    ip: ClientIp,
    session: DbSession,
    settings: AppSettings,
    limiter: Limiter,
) -> AnswerOut:
    """Ask a question about the catalogue ("silver earrings under 2000 rupees", "is the blue
    pottery vase in stock", "what is the difference between these two shawls") or, signed
    in, about one's own order ("where is my order HT-2026-000123"). Answers cite approved
    products only. Omit ``session_id`` to start a conversation; each allows
    ``ASSISTANT_PROMPT_LIMIT`` questions (then 429 ``assistant_session_limit``). Rate limited
    per IP and per user (429 with Retry-After)."""
    return await service.ask(session, actor, ip, data, settings=settings, limiter=limiter)


@router.get(
    "/sessions/{session_id:uuid}",
    response_model=SessionOut,
    responses=responses(401, 404),
)
async def get_session(
    session_id: uuid.UUID, actor: AuthenticatedActor, session: DbSession, settings: AppSettings
) -> SessionOut:
    """One of the caller's conversations with its questions and answers, oldest first."""
    conversation, messages = await service.history(session, actor, session_id)
    return SessionOut(
        id=conversation.id,
        prompt_count=conversation.prompt_count,
        prompt_limit=settings.assistant_prompt_limit,
        created_at=conversation.created_at,
        messages=messages,
    )
