"""Question parsing, the phrase tables of the nine languages, answer languages, rate limits,
and the optional LLM engine against a fake OpenAI-compatible server (real HTTP)."""

from __future__ import annotations

import contextlib
import json
import re
import string
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, get_args

import httpx
import pytest

from haat.app import create_app
from haat.assistant import service
from haat.assistant.intent import IntentKind, parse
from haat.assistant.phrases import PHRASES, phrase
from haat.assistant.schemas import AskIn, Language
from haat.config import Settings
from haat.core.db import Database, session_scope
from haat.core.errors import TooManyRequests
from haat.core.i18n import SUPPORTED_LANGUAGES
from haat.core.ratelimit import RateLimiter
from haat.identity.actor import Actor
from tests.conftest import Factory


@pytest.mark.parametrize(
    ("question", "kind", "words", "low", "high", "currency"),
    [
        ("silver jhumkas under 2000 rupees", "search", ["silver", "jhumkas"], None, 200000, "INR"),
        (
            "is the blue pottery vase in stock",
            "stock",
            ["blue", "pottery", "vase"],
            None,
            None,
            None,
        ),
        (
            "what is the difference between these two shawls",
            "compare",
            ["shawls"],
            None,
            None,
            None,
        ),
        ("shawls between $50 and $120", "search", ["shawls"], 5000, 12000, "USD"),
        ("pottery over ₹5,000", "search", ["pottery"], 500000, None, "INR"),
        ("brass lamp below 1.5k", "search", ["brass", "lamp"], None, 150000, "INR"),
        ("sarees under 2 lakh", "search", ["sarees"], None, 20000000, "INR"),
        ("boots over 30 euros", "search", ["boots"], 3000, None, "EUR"),
        ("sarees 2000-5000 rs", "search", ["sarees"], 200000, 500000, "INR"),
        ("a pullover", "search", ["pullover"], None, None, None),
        (
            "1.57 ct ideal cut diamond",
            "search",
            ["1", "57", "ct", "ideal", "cut", "diamond"],
            None,
            None,
            None,
        ),
    ],
)
def test_parse(
    question: str,
    kind: str,
    words: list[str],
    low: int | None,
    high: int | None,
    currency: str | None,
) -> None:
    intent = parse(question)
    assert intent.kind == kind
    assert [g[0] for g in intent.groups] == words
    assert (intent.min_price, intent.max_price, intent.currency) == (low, high, currency)


def test_parse_orders_and_synonyms_and_the_askers_currency() -> None:
    order = parse("where is my order ht-2026-000123?")
    assert order.kind == IntentKind.ORDER and order.order_number == "HT-2026-000123"
    assert parse("track my parcel").kind == IntentKind.ORDER
    assert parse("silver jhumkas").groups == [("silver",), ("jhumkas", "earrings")]
    assert parse("toys under 40", default_currency="EUR").currency == "EUR"
    assert parse("toys under 40", default_currency="EUR").max_price == 4000


def test_every_language_has_every_phrase_with_the_same_fields() -> None:
    assert set(PHRASES) == set(SUPPORTED_LANGUAGES) == set(get_args(Language))
    english = PHRASES["en"]

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for language, table in PHRASES.items():
        assert table.keys() == english.keys(), language
        for key, text in table.items():
            assert fields(text) == fields(english[key]), (language, key)
            assert text.strip(), (language, key)


async def test_the_answer_is_in_the_askers_language(
    client: httpx.AsyncClient, factory: Factory, shop: dict[str, Any]
) -> None:
    for language in SUPPORTED_LANGUAGES:
        user = await factory.user(f"buyer-{language}", language=language)
        r = await client.post(
            "/api/assistant/messages",
            json={"message": "blue pottery vase"},
            headers=user.headers,
        )
        body = r.json()
        assert body["language"] == language
        head = phrase(language, "found", query="blue pottery vase", bound="")
        assert body["answer"].splitlines()[0] == head, language
        # The request's language wins over the profile's.
        r = await client.post(
            "/api/assistant/messages",
            json={"message": "submarine", "language": "ta"},
            headers=user.headers,
        )
        assert r.json()["answer"].startswith("“submarine” க்கு எதுவும் கிடைக்கவில்லை")


async def test_rate_limits_per_ip_and_per_user(
    db: Database, settings: Settings, factory: Factory, shop: dict[str, Any]
) -> None:
    limited = settings.model_copy(
        update={"assistant_per_ip_limit": "3/minute", "assistant_per_user_limit": "2/minute"}
    )
    limiter = RateLimiter()
    user = await factory.user("asker")

    async def ask(actor: Actor, ip: str) -> None:
        async with session_scope(db) as session:
            await service.ask(
                session, actor, ip, AskIn(message="vase"), settings=limited, limiter=limiter
            )

    await ask(user.actor, "198.51.100.1")
    await ask(user.actor, "198.51.100.2")
    with pytest.raises(TooManyRequests) as caught:
        await ask(user.actor, "198.51.100.3")  # the user's third within the minute
    assert caught.value.status == 429 and caught.value.retry_after >= 1
    anonymous = Actor.anonymous()
    for _ in range(2):  # this IP has one hit already (the user's first question)
        await ask(anonymous, "198.51.100.1")
    with pytest.raises(TooManyRequests):
        await ask(anonymous, "198.51.100.1")
    await ask(anonymous, "198.51.100.9")  # another address is not held back


class FakeChat(ThreadingHTTPServer):
    """`POST /v1/chat/completions` as OpenAI-compatible servers answer it."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: FakeChat

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body})
        if self.server.mode == "slow":
            time.sleep(5)
        if self.server.mode == "error":
            payload: dict[str, Any] = {"error": {"message": "overloaded"}}
            status = 503
        else:
            facts = json.loads(body["messages"][1]["content"])["facts"]
            content = "LLM: " + "; ".join(f["title"] for f in facts)
            payload = {
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]
            }
            status = 200
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client gave up (timeout test)
            self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fake_chat() -> Iterator[FakeChat]:
    server = FakeChat()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
async def llm_client(settings: Settings, fake_chat: FakeChat) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(
            update={
                "assistant_engine": "llm",
                "assistant_llm_url": fake_chat.url,
                "assistant_llm_model": "test-model",
                "assistant_llm_timeout_s": 1.0,
            }
        )
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
    await app.state.wiring.db.dispose()


async def test_llm_engine_writes_from_the_retrieved_facts_only(
    llm_client: httpx.AsyncClient, fake_chat: FakeChat, shop: dict[str, Any]
) -> None:
    fake_chat.mode, fake_chat.requests = "ok", []
    r = await llm_client.post("/api/assistant/messages", json={"message": "kullu shawls"})
    body = r.json()
    assert body["engine"] == "llm"
    p = shop["products"]
    assert body["answer"].startswith("LLM: ") and p["shawl_wool"].title in body["answer"]
    sent = fake_chat.requests[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["body"]["model"] == "test-model"
    facts = json.loads(sent["body"]["messages"][1]["content"])["facts"]
    assert {f["id"] for f in facts} == set(body["cited_product_ids"])
    hidden_titles = [h.title for h in shop["hidden"].values()]
    assert not any(t in json.dumps(sent["body"]) for t in hidden_titles)


@pytest.mark.parametrize("mode", ["error", "slow"])
async def test_llm_failure_or_timeout_falls_back_to_the_templated_answer(
    llm_client: httpx.AsyncClient, fake_chat: FakeChat, shop: dict[str, Any], mode: str
) -> None:
    fake_chat.mode = mode
    started = time.perf_counter()
    r = await llm_client.post("/api/assistant/messages", json={"message": "kullu shawls"})
    assert r.status_code == 200
    body = r.json()
    assert body["engine"] == "local"
    assert re.match(r"Here is what I found for “kullu shawls”", body["answer"])
    assert time.perf_counter() - started < 4.5  # the 1 s timeout, not the 5 s reply
