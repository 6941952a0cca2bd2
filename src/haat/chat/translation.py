"""Translating chat messages into each reader's language, behind one interface.

Providers (``TRANSLATION_PROVIDER``): ``none`` (the default: readers get the original text,
``translated: false``), ``openai`` (any OpenAI-compatible chat-completions endpoint through
`haat.core.llm`) and ``argos`` (Argos Translate, offline, when it and the language packages
for the pair are installed). Results are cached per message and language in
``chat_message_translations``. Any provider failure or a reply slower than
``TRANSLATION_TIMEOUT_S`` (2 s) gives None: the reader sees the original text. Translation runs
after the message is stored, never before, so it cannot delay or lose a message.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable
from typing import Protocol

import anyio
import httpx
from sqlalchemy.exc import IntegrityError

from haat.chat.models import MessageTranslation
from haat.chat.repository import translations as repository
from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.core.i18n import ENGLISH_NAMES
from haat.core.llm import LlmEndpoint, LlmError, chat_completion

log = logging.getLogger("haat.chat.translation")

PROMPT = (
    "You translate chat messages between buyers and artisan sellers on a marketplace. "
    "Translate the user's message into {target}{source}. Keep unchanged: names of people, "
    "shops and places; prices, amounts, currencies and numbers; product codes and order "
    "numbers (such as HT-2026-000123); and craft terms (such as pashmina, sozni, kantha, "
    "meenakari, jhumka, bandhani, ikat). Keep the tone. Reply with the translation only."
)


class TranslationError(Exception):
    """The provider could not translate (the message says why)."""


class Translator(Protocol):
    """Translates one text. ``source`` is the detected language code or None."""

    name: str

    async def translate(self, text: str, source: str | None, target: str) -> str: ...

    async def aclose(self) -> None: ...


class NoTranslator:
    """The ``none`` provider: nothing is translated."""

    name = "none"

    async def translate(self, text: str, source: str | None, target: str) -> str:
        raise TranslationError("no translation provider is configured")

    async def aclose(self) -> None:
        return None


class OpenAiTranslator:
    """Translation through an OpenAI-compatible chat-completions endpoint (one pooled HTTP
    client per process)."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        self.endpoint = LlmEndpoint(
            url=settings.translation_url,
            model=settings.translation_model,
            api_key=settings.translation_api_key,
        )
        self.timeout = settings.translation_timeout_s
        self._client = httpx.AsyncClient(timeout=self.timeout)

    async def translate(self, text: str, source: str | None, target: str) -> str:
        source_name = f" from {ENGLISH_NAMES[source]}" if source in ENGLISH_NAMES else ""
        prompt = PROMPT.format(target=ENGLISH_NAMES.get(target, target), source=source_name)
        try:
            return await chat_completion(
                self.endpoint,
                [{"role": "system", "content": prompt}, {"role": "user", "content": text}],
                self.timeout,
                client=self._client,
                temperature=0,
            )
        except LlmError as exc:
            raise TranslationError(str(exc)) from exc

    async def aclose(self) -> None:
        await self._client.aclose()


class ArgosTranslator:
    """Argos Translate (offline models), run in a worker thread. The language packages for
    each pair (or through English) must be installed (``argospm install translate-de_en``)."""

    name = "argos"

    def __init__(self) -> None:
        import argostranslate.translate  # noqa: F401  (fails here when not installed)

    async def translate(self, text: str, source: str | None, target: str) -> str:
        import argostranslate.translate as argos

        if source is None:
            raise TranslationError("the source language is unknown")

        def run() -> str:
            return str(argos.translate(text, source, target))

        try:
            result = await anyio.to_thread.run_sync(run)
        except Exception as exc:  # Argos raises plain exceptions for missing packages
            raise TranslationError(f"argos: {exc!r}") from exc
        if not result or result == text:
            raise TranslationError(f"argos has no {source}->{target} package")
        return result

    async def aclose(self) -> None:
        return None


def make_translator(settings: Settings) -> Translator:
    """The provider named by ``settings.translation_provider``. ``openai`` without
    ``TRANSLATION_URL`` and ``argos`` without the package fall back to ``none`` with a logged
    warning (the chat works, untranslated)."""
    if settings.translation_provider == "openai":
        if settings.translation_url:
            return OpenAiTranslator(settings)
        log.warning("TRANSLATION_PROVIDER=openai without TRANSLATION_URL: not translating")
    elif settings.translation_provider == "argos":
        try:
            return ArgosTranslator()
        except ImportError:
            log.warning("TRANSLATION_PROVIDER=argos but argostranslate is not installed")
    return NoTranslator()


class TranslationService:
    """Cached translation of stored messages with a deadline per call."""

    def __init__(self, db: Database, translator: Translator, timeout_s: float) -> None:
        self.db = db
        self.translator = translator
        self.timeout_s = timeout_s

    @property
    def enabled(self) -> bool:
        return not isinstance(self.translator, NoTranslator)

    async def cached(self, message_ids: Iterable[uuid.UUID], language: str) -> dict[uuid.UUID, str]:
        """Cached translations into ``language`` of the given messages (one query)."""
        ids = list(message_ids)
        if not ids or not self.enabled:
            return {}
        async with session_scope(self.db, write=False) as session:
            return await repository.cached(session, ids, language)

    async def translate(
        self, message_id: uuid.UUID, text: str, source: str | None, target: str
    ) -> str | None:
        """``text`` in ``target``, from the cache or the provider (then cached); None when
        not needed (same language, empty text, provider ``none``) or when the provider fails
        or takes longer than the timeout. Never raises for a provider's failure."""
        if not self.enabled or not text or source == target:
            return None
        cached = await self.cached([message_id], target)
        if message_id in cached:
            return cached[message_id]
        try:
            with anyio.fail_after(self.timeout_s):
                result = await self.translator.translate(text, source, target)
        except (TranslationError, TimeoutError) as exc:
            log.warning("translation of %s into %s failed: %s", message_id, target, exc)
            return None
        await self._store(message_id, target, result)
        return result

    async def translate_many(
        self, messages: Iterable[tuple[uuid.UUID, str, str | None]], target: str
    ) -> dict[uuid.UUID, str]:
        """`translate` for several ``(id, text, source)`` at once, concurrently: all within
        one timeout, the cache read in one query."""
        todo = [(mid, text, src) for mid, text, src in messages if text and src != target]
        if not self.enabled or not todo:
            return {}
        found = await self.cached([mid for mid, _, _ in todo], target)
        missing = [item for item in todo if item[0] not in found]
        results = await asyncio.gather(
            *(self.translate(mid, text, src, target) for mid, text, src in missing)
        )
        for (mid, _, _), result in zip(missing, results, strict=True):
            if result is not None:
                found[mid] = result
        return found

    async def _store(self, message_id: uuid.UUID, language: str, text: str) -> None:
        """Cache a translation in a transaction of its own: the cache outlives the request
        (or socket event) that asked, whose session may be read-only."""
        row = MessageTranslation(
            message_id=message_id, language=language, text=text, provider=self.translator.name
        )
        try:
            async with session_scope(self.db) as session:
                await repository.add(session, row)
        except IntegrityError:  # another worker cached it first, or the message is gone
            pass

    async def aclose(self) -> None:
        await self.translator.aclose()
