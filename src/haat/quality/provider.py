"""The optional provider: a craftsmanship note on a product photo from any OpenAI-compatible
chat-completions endpoint that accepts images (``POST {QUALITY_PROVIDER_URL}/chat/completions``
with an ``image_url`` content part holding the photo as a ``data:`` URL, as in OpenAI's
"Vision" guide).

Off unless ``QUALITY_PROVIDER_URL`` is set. It is a model's opinion of what the photo shows and
is labelled so; the local grade of the photograph never depends on it. Every failure (HTTP
error, no answer within ``QUALITY_PROVIDER_TIMEOUT_S``, an answer without text) is a
`ProviderError` for the background job to record; nothing here can fail an upload.
"""

from __future__ import annotations

import base64
from typing import Any

from haat.config import Settings
from haat.core.i18n import ENGLISH_NAMES
from haat.core.llm import LlmEndpoint, LlmError, chat_completion

MAX_NOTE_CHARS = 2000
INSTRUCTIONS = (
    "You help artisans sell their work online. Look at the product photo and write a short "
    "note (at most three sentences) on the craftsmanship that the photo lets a buyer see: "
    "technique, finish, detail, materials. Say plainly when the photo does not show enough "
    "to judge. Do not comment on the photo's lighting or framing. Answer in {language}."
)


class ProviderError(Exception):
    """The provider gave no usable note (the message says why)."""


def configured(settings: Settings) -> bool:
    """True when an endpoint is set (``QUALITY_PROVIDER_URL``)."""
    return bool(settings.quality_provider_url)


async def request_note(
    settings: Settings, image: bytes, content_type: str, *, title: str, language: str
) -> str:
    """Ask the provider for a craftsmanship note on ``image`` (``content_type`` e.g.
    "image/jpeg") of the product ``title``, written in ``language`` (a Haat language code),
    through `haat.core.llm.chat_completion`.

    Returns the note, stripped and cut to 2,000 characters. Raises `ProviderError` on a
    transport error, a non-200 answer, no complete answer within
    ``settings.quality_provider_timeout_s`` seconds, or a body without
    ``choices[0].message.content`` text.
    """
    if not settings.quality_provider_url:
        raise ProviderError("no provider is configured (QUALITY_PROVIDER_URL)")
    endpoint = LlmEndpoint(
        settings.quality_provider_url,
        settings.quality_provider_model,
        settings.quality_provider_api_key,
    )
    try:
        note = await chat_completion(
            endpoint,
            _messages(image, content_type, title, language),
            settings.quality_provider_timeout_s,
            temperature=0.2,
            max_tokens=300,
        )
    except LlmError as exc:
        raise ProviderError(str(exc)) from exc
    return note[:MAX_NOTE_CHARS]


def _messages(image: bytes, content_type: str, title: str, language: str) -> list[dict[str, Any]]:
    data_url = f"data:{content_type};base64,{base64.b64encode(image).decode('ascii')}"
    return [
        {
            "role": "system",
            "content": INSTRUCTIONS.format(language=ENGLISH_NAMES.get(language, "English")),
        },
        {
            "role": "user",
            "content": [
                {"type": "text", "text": f"Product: {title}"},
                {"type": "image_url", "image_url": {"url": data_url}},
            ],
        },
    ]
