"""A small client for OpenAI-compatible chat-completions endpoints (OpenAI, Azure OpenAI,
Ollama, vLLM, llama.cpp's server): ``POST {url}/chat/completions`` with ``model`` and
``messages``, the answer read from ``choices[0].message.content`` (OpenAI's API reference,
"Create chat completion").

Used by chat translation, the assistant's LLM engine and the photo craftsmanship note.
Every failure is an `LlmError`; callers decide what to fall back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import anyio
import httpx
from pydantic import SecretStr


class LlmError(Exception):
    """The endpoint gave no usable answer (transport error, timeout, non-200, no text)."""


class LlmSettings(Protocol):
    """What `chat_completion` reads: the base URL (up to and including ``/v1``), the model
    name and an optional API key (sent as ``Authorization: Bearer``)."""

    @property
    def url(self) -> str | None: ...

    @property
    def model(self) -> str: ...

    @property
    def api_key(self) -> SecretStr | str | None: ...


@dataclass(frozen=True)
class LlmEndpoint:
    """A concrete `LlmSettings`, e.g. built from `haat.config.Settings` fields."""

    url: str | None
    model: str
    api_key: SecretStr | str | None = None


def _key(api_key: SecretStr | str | None) -> str | None:
    if isinstance(api_key, SecretStr):
        return api_key.get_secret_value()
    return api_key


async def chat_completion(
    settings_like: LlmSettings,
    messages: list[dict[str, Any]],
    timeout: float,  # noqa: ASYNC109  (the helper's agreed signature; applied with fail_after)
    *,
    client: httpx.AsyncClient | None = None,
    **options: Any,
) -> str:
    """The assistant's text for ``messages`` (``[{"role": ..., "content": ...}]``).

    ``timeout`` bounds the whole call in seconds (connect, send, wait and read); ``options``
    are extra body fields such as ``temperature``. ``client`` reuses a pooled
    ``httpx.AsyncClient``; without it a client is made for the call.

    Returns ``choices[0].message.content`` stripped. Raises `LlmError` when no URL is set, on
    a transport error, no complete answer within ``timeout``, a non-200 status, or a body
    without that text.
    """
    if not settings_like.url:
        raise LlmError("no endpoint is configured")
    url = settings_like.url.rstrip("/") + "/chat/completions"
    headers = {}
    key = _key(settings_like.api_key)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = {"model": settings_like.model, "messages": messages, **options}
    try:
        with anyio.fail_after(timeout):
            if client is None:
                async with httpx.AsyncClient(timeout=timeout) as own:
                    response = await own.post(url, json=body, headers=headers)
            else:
                response = await client.post(url, json=body, headers=headers, timeout=timeout)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise LlmError(f"no answer within {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise LlmError(f"request failed: {exc!r}") from exc
    if response.status_code != 200:
        raise LlmError(f"HTTP {response.status_code}: {response.text[:200]}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LlmError(f"malformed answer: {response.text[:200]}") from exc
    if isinstance(content, list):  # content parts, as some compatible servers answer
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    if not isinstance(content, str) or not content.strip():
        raise LlmError("malformed answer: no text")
    return content.strip()
