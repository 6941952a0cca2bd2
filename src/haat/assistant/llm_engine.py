"""The optional LLM engine: an OpenAI-compatible chat-completions endpoint (OpenAI, Azure,
Ollama, vLLM, llama.cpp server) rewrites the answer from the retrieved facts only.

The model gets the question, the answer language, and a JSON list of facts (the products the
local retrieval found, or the caller's order): nothing else from the database. It is told to
use only those facts and to keep titles, prices and product ids as given. Any error, an empty
reply or a timeout (``ASSISTANT_LLM_TIMEOUT_S``) raises `haat.core.llm.LlmError`, and the
service answers with the templated text instead.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from haat.config import Settings
from haat.core.llm import LlmEndpoint, chat_completion

SYSTEM_PROMPT = (
    "You are the shopping assistant of Haat, a marketplace of Indian artisans and small "
    "shops. Answer the shopper's question in the language with the code given, in at most "
    "five short sentences, using ONLY the facts in the JSON list. Keep product titles, "
    "prices, stock counts and seller names exactly as given; never invent a product, a "
    "price or a delivery date. If the facts do not answer the question, say so. When the "
    "facts are marked as alternatives, say there is no exact match and offer them."
)


def configured(settings: Settings) -> bool:
    """True when ``ASSISTANT_ENGINE=llm`` and an endpoint URL is set."""
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
    """The model's answer to ``question`` from ``facts`` (JSON-able dicts), through
    `haat.core.llm.chat_completion` at ``temperature`` 0 within ``ASSISTANT_LLM_TIMEOUT_S``.
    Raises `haat.core.llm.LlmError` on any HTTP error, timeout or an empty or malformed
    reply."""
    endpoint = LlmEndpoint(
        settings.assistant_llm_url, settings.assistant_llm_model, settings.assistant_llm_api_key
    )
    question_with_facts = {
        "language": language,
        "question": question,
        "alternatives": alternatives,
        "facts": facts,
    }
    user_text = json.dumps(question_with_facts, ensure_ascii=False, default=str)
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": user_text},
    ]
    return await chat_completion(
        endpoint, messages, settings.assistant_llm_timeout_s, client=client, temperature=0
    )
