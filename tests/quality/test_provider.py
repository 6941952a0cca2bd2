"""The optional craftsmanship note, against a fake OpenAI-compatible server on 127.0.0.1:
it runs as a job after the upload's commit, and its failure, timeout or nonsense never fails
the upload."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from haat.app import create_app
from haat.catalog.models import ProductStatus
from haat.config import Settings
from haat.core.jobs import Job, JobStatus
from haat.quality.models import NoteStatus, PhotoGrade
from tests.conftest import Factory
from tests.quality.photos import degraded, upload

NOTE = "Fine hand-painted floral motifs; the glaze looks even."


class FakeOpenAI(ThreadingHTTPServer):
    """Speaks `POST /v1/chat/completions` as OpenAI does; ``mode`` picks the answer."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: FakeOpenAI

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(
            {"path": self.path, "authorization": self.headers.get("Authorization"), "body": body}
        )
        mode = self.server.mode
        if mode == "slow":
            time.sleep(3)
        if self.path != "/v1/chat/completions":
            self._send(404, {"error": {"message": "no such route"}})
        elif mode == "error":
            self._send(
                500, {"error": {"message": "The server is overloaded", "type": "server_error"}}
            )
        elif mode == "malformed":
            self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "choices": []})
        else:
            message = {"role": "assistant", "content": NOTE}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "choices": [choice]})

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def provider_app(settings: Settings, fake_openai: FakeOpenAI):  # type: ignore[no-untyped-def]
    configured = settings.model_copy(
        update={
            "quality_provider_url": fake_openai.url,
            "quality_provider_model": "vision-test-1",
            "quality_provider_api_key": SecretStr("sk-test-key"),
            "quality_provider_timeout_s": 1.0,
        }
    )
    app = create_app(configured)
    app.state.wiring.jobs.start()
    yield app
    app.state.wiring.jobs.stop()


@pytest.fixture
async def provider_client(provider_app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=provider_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
    await provider_app.state.wiring.db.dispose()


async def _upload_and_wait(
    client: httpx.AsyncClient, app: Any, factory: Factory, language: str = "en"
) -> tuple[httpx.Response, PhotoGrade, Job]:
    owner = await factory.user("owner", language=language)
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT, title="Blue pottery vase")
    r = await upload(client, owner.headers, product.id, degraded("motorcycle", "blur", 0))
    assert r.status_code == 201, r.text
    # Answered before the job ran: the note is still queued in the upload's response.
    assert r.json()["images"][0]["quality"]["craftsmanship_note"]["status"] == "queued"
    await asyncio.to_thread(app.state.wiring.jobs.join, 30_000)
    async with factory.session() as s:
        grade = await s.get(PhotoGrade, uuid.UUID(r.json()["images"][0]["id"]))
        job = await s.scalar(select(Job).where(Job.name == "quality.craftsmanship_note"))
    assert grade is not None and job is not None
    return r, grade, job


async def test_a_note_is_added_after_the_upload(
    provider_client: httpx.AsyncClient, provider_app: Any, factory: Factory, fake_openai: FakeOpenAI
) -> None:
    fake_openai.mode, fake_openai.requests[:] = "ok", []
    r, grade, job = await _upload_and_wait(provider_client, provider_app, factory, language="ta")
    assert job.status == JobStatus.SUCCEEDED and job.result == {
        "image_id": str(grade.image_id),
        "status": "succeeded",
        "characters": len(NOTE),
    }
    assert grade.note_status == NoteStatus.SUCCEEDED and grade.note == NOTE
    assert grade.note_model == "vision-test-1" and grade.note_error is None
    [request] = fake_openai.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["authorization"] == "Bearer sk-test-key"
    body = request["body"]
    assert body["model"] == "vision-test-1" and "Tamil" in body["messages"][0]["content"]
    text, image = body["messages"][1]["content"]
    assert text == {"type": "text", "text": "Product: Blue pottery vase"}
    assert image["image_url"]["url"].startswith("data:image/jpeg;base64,/9j/")
    owner_headers = r.request.headers
    shown = await provider_client.get(
        f"/api/products/{r.json()['id']}", headers={"Authorization": owner_headers["Authorization"]}
    )
    note = shown.json()["images"][0]["quality"]["craftsmanship_note"]
    assert (
        note["status"] == "succeeded" and note["text"] == NOTE and note["model"] == "vision-test-1"
    )


@pytest.mark.parametrize(
    ("mode", "error"),
    [("error", "HTTP 500"), ("slow", "no answer within 1 s"), ("malformed", "malformed answer")],
)
async def test_a_failing_provider_never_fails_the_upload(
    provider_client: httpx.AsyncClient,
    provider_app: Any,
    factory: Factory,
    fake_openai: FakeOpenAI,
    mode: str,
    error: str,
) -> None:
    fake_openai.mode = mode
    r, grade, job = await _upload_and_wait(provider_client, provider_app, factory)
    assert r.json()["images"][0]["quality"]["grade"] == "A"  # the local grade is there
    assert grade.note_status == NoteStatus.FAILED and grade.note is None
    assert grade.note_error is not None and error in grade.note_error
    assert job.status == JobStatus.FAILED and job.error is not None and error in job.error


async def test_a_refused_upload_queues_nothing(
    provider_client: httpx.AsyncClient, provider_app: Any, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    r = await provider_client.post(
        f"/api/products/{product.id}/images",
        headers=owner.headers,
        files={"file": ("photo.jpg", b"not an image at all", "image/jpeg")},
    )
    assert r.status_code == 415
    await asyncio.to_thread(provider_app.state.wiring.jobs.join, 10_000)
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Job)) == 0


async def test_without_a_provider_no_note_is_queued(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    owner = await factory.user("owner")
    business = await factory.business(owner)
    product = await factory.product(business, status=ProductStatus.DRAFT)
    r = await upload(client, owner.headers, product.id, degraded("motorcycle", "blur", 0))
    assert r.status_code == 201
    assert r.json()["images"][0]["quality"]["craftsmanship_note"] is None
    async with factory.session() as s:
        assert await s.scalar(select(func.count()).select_from(Job)) == 0
