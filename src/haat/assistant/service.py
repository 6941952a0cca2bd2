"""The shopping assistant: answers shoppers' questions from the approved catalogue and from
the caller's own orders, and keeps each conversation (session) with its questions and answers.

`ask` is the one entry point (the API and the storefront widget both call
it). Rules:

* only approved products are ever retrieved or cited (`retrieval.py`, `facts.py`);
* an order is described only to its buyer; another buyer's order number gets the same answer
  as a number that does not exist;
* at most ``ASSISTANT_PROMPT_LIMIT`` questions per session (then 429
  ``assistant_session_limit``, with the sentence in the asker's language); rate limits per IP
  (``ASSISTANT_PER_IP_LIMIT``) and per signed-in user (``ASSISTANT_PER_USER_LIMIT``);
* a session belongs to its user (or, anonymous, to whoever holds its id); another user's
  session is 404.

The answer's language is the request's ``language``, else the user's profile language, else
English; prices are shown in the request's ``display_currency``, else the profile currency,
beside the price of record (`haat.fx.display`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from haat.assistant import answers, embeddings, facts, llm_engine
from haat.assistant.intent import Intent, IntentKind, parse
from haat.assistant.models import AssistantMessage, AssistantSession
from haat.assistant.phrases import phrase
from haat.assistant.repository import conversations
from haat.assistant.retrieval import Retrieval, retrieve
from haat.assistant.schemas import AnswerOut, AskIn, MessageOut, OrderFact, ProductFact
from haat.catalog.models import Product
from haat.config import Settings
from haat.core.db import utcnow
from haat.core.errors import NotFound, TooManyRequests
from haat.core.i18n import SUPPORTED_LANGUAGES
from haat.core.llm import LlmError
from haat.core.ratelimit import RateLimiter
from haat.fx.display import DisplayConverter, display_currency_for
from haat.identity.actor import Actor

log = logging.getLogger("haat.assistant")
# A full session stays full: Retry-After says "not within a day"; a new session may ask now.
SESSION_LIMIT_RETRY_S = 86_400


class SessionLimitReached(TooManyRequests):
    code, title = "assistant_session_limit", "This conversation has reached its question limit"


class AssistantSessionNotFound(NotFound):
    code, title = "assistant_session_not_found", "No such assistant session"


@dataclass
class Composed:
    """An answer before it is stored: text, facts and how it was found."""

    text: str
    intent: IntentKind
    products: list[ProductFact] = field(default_factory=list)
    exact: bool = True
    reranked: bool = False
    order: OrderFact | None = None


def embedder(settings: Settings) -> Callable[[], embeddings.Embedder] | None:
    """What loads the process's embedding model (on first use) when the re-rank is on and
    the `ai` extra installed, else None."""
    if not (settings.assistant_rerank and embeddings.available()):
        return None
    return partial(embeddings.embedder, settings.assistant_torch_threads)


async def ask(
    session: AsyncSession,
    actor: Actor,
    ip: str,
    data: AskIn,
    *,
    settings: Settings,
    limiter: RateLimiter,
) -> AnswerOut:
    """Answer ``data.message`` and store it in its session (a new one without
    ``session_id``). Raises 429 past a rate limit or the session's limit, 404 for a
    session of someone else. Flushes; never commits."""
    user = await conversations.asker(session, actor.user_id) if actor.user_id else None
    language = _language(data.language or (user.preferred_language if user else None))
    await _check_rates(actor, ip, settings, limiter)
    conversation = await _conversation(session, actor, data.session_id)
    limit = settings.assistant_prompt_limit
    if conversation.prompt_count >= limit:
        raise SessionLimitReached(
            phrase(language, "limit", limit=limit),
            retry_after=SESSION_LIMIT_RETRY_S,
            session_id=str(conversation.id),
            limit=limit,
        )
    target = await display_currency_for(session, actor, data.display_currency)
    intent = parse(data.message, default_currency=target or "INR")
    composed = await _compose(session, actor, data, intent, language, target, settings)
    engine = await _write(settings, data.message, language, composed)
    conversation.prompt_count += 1
    conversation.updated_at = utcnow()
    cited = [p.id for p in composed.products]
    message = AssistantMessage(
        session_id=conversation.id,
        user_id=actor.user_id,
        message=data.message,
        answer=composed.text,
        language=language,
        intent=composed.intent.value,
        engine=engine,
        cited_product_ids=[str(i) for i in cited],
        details={"exact": composed.exact, "reranked": composed.reranked},
    )
    await conversations.add_message(session, message)
    return AnswerOut(
        session_id=conversation.id,
        message_id=message.id,
        answer=composed.text,
        language=language,  # type: ignore[arg-type]  # one of SUPPORTED_LANGUAGES
        intent=composed.intent.value,
        engine=engine,  # type: ignore[arg-type]
        exact=composed.exact,
        reranked=composed.reranked,
        products=composed.products,
        cited_product_ids=cited,
        order=composed.order,
        prompts_used=conversation.prompt_count,
        prompts_left=max(0, limit - conversation.prompt_count),
    )


async def _check_rates(actor: Actor, ip: str, settings: Settings, limiter: RateLimiter) -> None:
    """Count the question against the per-IP and (signed in) per-user limits; 429 past one."""
    await limiter.hit(
        settings.assistant_per_ip_limit,
        "assistant-ip",
        ip,
        detail="Too many questions from this network; please wait a moment",
    )
    if actor.user_id is not None:
        await limiter.hit(
            settings.assistant_per_user_limit,
            "assistant-user",
            str(actor.user_id),
            detail="Too many questions; please wait a moment",
        )


async def _write(settings: Settings, question: str, language: str, composed: Composed) -> str:
    """Have the LLM engine, when configured, write ``composed``'s answer from its facts (the
    templated text stays when it fails); returns the engine that wrote it."""
    if not llm_engine.configured(settings):
        return "local"
    try:
        composed.text = await llm_engine.write_answer(
            settings,
            question=question,
            language=language,
            facts=_llm_facts(composed),
            alternatives=not composed.exact,
        )
    except LlmError as exc:
        log.warning("assistant LLM engine unavailable, templated answer: %s", exc)
        return "local"
    return "llm"


async def _conversation(
    session: AsyncSession, actor: Actor, session_id: uuid.UUID | None
) -> AssistantSession:
    if session_id is None:
        return await conversations.new_conversation(session, actor.user_id)
    found = await conversations.locked_conversation(session, session_id)
    if found is None or found.user_id != actor.user_id:
        raise AssistantSessionNotFound()
    return found


async def _compose(
    session: AsyncSession,
    actor: Actor,
    data: AskIn,
    intent: Intent,
    language: str,
    target: str | None,
    settings: Settings,
) -> Composed:
    if intent.kind == IntentKind.ORDER:
        return await _order(session, actor, intent, language)
    if intent.kind == IntentKind.COMPARE:
        pair = await _pair(session, data, intent, settings)
        if len(pair) == 2:
            shown = await _facts(session, target, pair)
            text = answers.compare_answer(
                language, shown[0], shown[1], tuple(dict(p.attributes) for p in pair)
            )
            return Composed(text, intent.kind, shown)
        return Composed(phrase(language, "compare_need_two"), intent.kind, exact=False)
    found = await _retrieve(session, intent, data.message, settings)
    top = found.products[: settings.assistant_answer_products]
    shown = await _facts(session, target, top)
    writer = answers.stock_answer if intent.kind == IntentKind.STOCK else answers.search_answer
    text = writer(language, intent, shown, found.exact)
    return Composed(text, intent.kind, shown, exact=found.exact, reranked=found.reranked)


async def _retrieve(
    session: AsyncSession, intent: Intent, question: str, settings: Settings
) -> Retrieval:
    return await retrieve(
        session,
        intent,
        question,
        pool=settings.assistant_candidates,
        embedder=embedder(settings),
        weight=settings.assistant_rerank_weight,
    )


async def _pair(
    session: AsyncSession, data: AskIn, intent: Intent, settings: Settings
) -> list[Product]:
    """The two products to compare: the request's ``product_ids``, else the two first
    cited by the session's previous answer, else the two best matches of the words."""
    named = await facts.approved_products(session, data.product_ids)
    if len(named) < 2 and data.session_id is not None:
        previous = await conversations.last_cited(session, data.session_id)
        earlier = await facts.approved_products(session, [uuid.UUID(i) for i in previous])
        named = list({p.id: p for p in [*named, *earlier]}.values())
    if len(named) < 2 and intent.groups:
        found = await _retrieve(session, intent, data.message, settings)
        named = list({p.id: p for p in [*named, *found.products]}.values())
    return named[:2]


async def history(
    session: AsyncSession, actor: Actor, session_id: uuid.UUID
) -> tuple[AssistantSession, list[MessageOut]]:
    """A session and its messages, oldest first (its user only; else 404)."""
    conversation = await conversations.conversation(session, session_id)
    if conversation is None or conversation.user_id != actor.user_id:
        raise AssistantSessionNotFound()
    rows = await conversations.messages(session, session_id)
    return conversation, [
        MessageOut(
            id=m.id,
            message=m.message,
            answer=m.answer,
            language=m.language,
            intent=m.intent,
            engine=m.engine,
            cited_product_ids=[uuid.UUID(i) for i in m.cited_product_ids],
            created_at=m.created_at,
        )
        for m in rows
    ]


def _language(code: str | None) -> str:
    return code if code in SUPPORTED_LANGUAGES else "en"


async def _facts(
    session: AsyncSession, target: str | None, products: list[Product]
) -> list[ProductFact]:
    display = await DisplayConverter.load(session, target, {p.currency for p in products})
    return [facts.product_fact(p, display) for p in products]


async def _order(session: AsyncSession, actor: Actor, intent: Intent, language: str) -> Composed:
    if actor.user_id is None:
        return Composed(phrase(language, "order_sign_in"), IntentKind.ORDER, exact=False)
    order = await facts.own_order(session, actor, intent.order_number)
    if order is not None:
        return Composed(answers.order_answer(language, order), IntentKind.ORDER, order=order)
    if intent.order_number is None:
        return Composed(phrase(language, "order_no_orders"), IntentKind.ORDER, exact=False)
    text = phrase(language, "order_none", number=intent.order_number)
    return Composed(text, IntentKind.ORDER, exact=False)


def _llm_facts(composed: Composed) -> list[dict[str, Any]]:
    if composed.order is not None:
        return [composed.order.model_dump(mode="json")]
    return [p.model_dump(mode="json") for p in composed.products]
