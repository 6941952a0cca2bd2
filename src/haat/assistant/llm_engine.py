"""The optional LLM engine: an OpenAI-compatible chat-completions endpoint (OpenAI, Azure,
Ollama, vLLM, llama.cpp server) rewrites the answer from the retrieved facts only.

The model gets the question, the answer language, and a JSON list of facts (the products the
local retrieval found, or the caller's order): nothing else from the database. It is told to
use only those facts and to keep titles, prices and product ids as given. Any error, an empty
reply or a timeout (``ASSISTANT_LLM_TIMEOUT_S``) raises `LlmUnavailable`, and the service
answers with the templated text instead.

A minimal client of its own, written beside `haat.core.llm` (another module's work in
progress); the two are to be unified.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from haat.config import Settings

SYSTEM_PROMPT = (
    "You are the shopping assistant of Haat, a marketplace of Indian artisans and small "
    "shops. Answer the shopper's question in the language with the code given, in at most "
    "five short sentences, using ONLY the facts in the JSON list. Keep product titles, "
    "prices, stock counts and seller names exactly as given; never invent a product, a "
    "price or a delivery date. If the facts do not answer the question, say so. When the "
    "facts are marked as alternatives, say there is no exact match and offer them."
)


class LlmUnavailable(Exception):
    """The endpoint failed, timed out or gave no usable answer."""


def configured(settings: Settings) -> bool:
    return settings.assistant_engine == "llm" and bool(settings.assistant_llm_url)


async def write_answer(
    settings: Settings,
    *,
    question: str,
    language: str,
    facts: list[dict[str, Any]],
    alternatives: bool,
    client: httpx.AsyncClient | None = None,
) -> str:
    """The model's answer to ``question`` from ``facts`` (JSON-able dicts). Raises
    `LlmUnavailable` on any HTTP error, timeout or an empty or malformed reply."""
    if not settings.assistant_llm_url:
        raise LlmUnavailable("ASSISTANT_LLM_URL is not set")
    url = settings.assistant_llm_url.rstrip("/") + "/chat/completions"
    headers = {}
    if settings.assistant_llm_api_key is not None:
        headers["Authorization"] = f"Bearer {settings.assistant_llm_api_key.get_secret_value()}"
    body = {
        "model": settings.assistant_llm_model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {
                "role": "user",
                "content": json.dumps(
                    {
                        "language": language,
                        "question": question,
                        "alternatives": alternatives,
                        "facts": facts,
                    },
                    ensure_ascii=False,
                    default=str,
                ),
            },
        ],
    }
    timeout = httpx.Timeout(settings.assistant_llm_timeout_s)
    try:
        if client is not None:
            response = await client.post(url, json=body, headers=headers, timeout=timeout)
        else:
            async with httpx.AsyncClient(timeout=timeout) as own:
                response = await own.post(url, json=body, headers=headers)
        response.raise_for_status()
        text = response.json()["choices"][0]["message"]["content"]
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise LlmUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(text, str) or not text.strip():
        raise LlmUnavailable("empty answer")
    return text.strip()
