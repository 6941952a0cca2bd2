"""Socket.IO against a live uvicorn: real python-socketio clients, rooms, catch-up, and two
app processes sharing Redis."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import socketio

from haat.config import Settings
from tests.chat.conftest import ChatCast
from tests.conftest import Caller
from tests.live import live_server

REDIS_URL = os.environ.get("HAAT_TEST_CHAT_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[str]:
    with live_server(
        settings, CHAT_UPLOAD_DIR=str(settings.chat_upload_dir), CHAT_SEND_LIMIT="1000/minute"
    ) as base:
        yield base


class Client:
    """A connected Socket.IO client that records what it receives."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self.got = asyncio.Event()
        for name in ("message", "read", "typing", "translation"):
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name: str) -> Any:
        async def record(data: Any) -> None:
            self.events.append((name, data))
            self.got.set()

        return record

    def of(self, name: str) -> list[Any]:
        return [data for event, data in self.events if event == name]

    async def wait_for(self, name: str, count: int = 1, within: float = 5) -> list[Any]:
        async with asyncio.timeout(within):
            while len(self.of(name)) < count:
                self.got.clear()
                await self.got.wait()
        return self.of(name)


@asynccontextmanager
async def connected(base: str, who: Caller) -> AsyncIterator[Client]:
    client = Client()
    token = who.headers["Authorization"].split()[1]
    await client.sio.connect(base, auth={"token": token}, transports=["websocket"], wait_timeout=10)
    try:
        yield client
    finally:
        await client.sio.disconnect()


async def _conversation(base: str, cast: ChatCast) -> str:
    async with httpx.AsyncClient(base_url=base) as http:
        r = await http.post(
            "/api/chat/conversations",
            json={"business_id": str(cast.business.id)},
            headers=cast.buyer.headers,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])


async def test_two_clients_talk_and_outsider_gets_nothing(server: str, cast: ChatCast) -> None:
    cid = await _conversation(server, cast)
    async with (
        connected(server, cast.buyer) as buyer,
        connected(server, cast.owner) as owner,
        connected(server, cast.outsider) as outsider,
    ):
        for client in (buyer, owner):
            ack = await client.sio.call("join", {"conversation_id": cid}, timeout=5)
            assert ack["ok"] and ack["missed"] == []
        refused = await outsider.sio.call("join", {"conversation_id": cid}, timeout=5)
        assert refused == {
            "ok": False,
            "status": 404,
            "code": "conversation_not_found",
            "detail": "No such conversation",
        }
        sent = await outsider.sio.call("send", {"conversation_id": cid, "text": "hi"}, timeout=5)
        assert sent["ok"] is False and sent["status"] == 404
        assert (await outsider.sio.call("typing", {"conversation_id": cid}, timeout=5))[
            "ok"
        ] is False

        ack = await buyer.sio.call(
            "send",
            {
                "conversation_id": cid,
                "text": "Ist dieser Schal noch verfügbar und aus echter Pashmina?",
            },
            timeout=5,
        )
        assert ack["ok"] and ack["message"]["seq"] == 1 and ack["message"]["language"] == "de"
        got = await owner.wait_for("message")
        assert (
            got[0]["id"] == ack["message"]["id"]
            and got[0]["text"] == "Ist dieser Schal noch verfügbar und aus echter Pashmina?"
        )

        await owner.sio.call("typing", {"conversation_id": cid, "typing": True}, timeout=5)
        typing = await buyer.wait_for("typing")
        assert typing[0]["user_id"] == str(cast.owner.id) and typing[0]["typing"] is True
        assert owner.of("typing") == []  # not echoed to the typist

        read = await owner.sio.call("read", {"conversation_id": cid}, timeout=5)
        assert read["ok"] and read["last_read_seq"] == 1 and read["unread"] == 0
        receipts = await buyer.wait_for("read")
        assert receipts[-1]["user_id"] == str(cast.owner.id)

        # REST sends reach the room too (after the commit).
        async with httpx.AsyncClient(base_url=server) as http:
            r = await http.post(
                f"/api/chat/conversations/{cid}/messages",
                json={"text": "हाँ, शुद्ध पश्मीना।"},
                headers=cast.owner.headers,
            )
            assert r.status_code == 201
        # The buyer's own socket send came back in its ack, not as an event.
        messages = await buyer.wait_for("message")
        assert len(messages) == 1 and messages[0]["seq"] == 2 and messages[0]["language"] == "hi"
        await asyncio.sleep(0.3)
        assert outsider.events == []


async def test_bad_tokens_are_refused(server: str, cast: ChatCast) -> None:
    for auth in (
        None,
        {"token": "not-a-jwt"},
        {"token": cast.buyer.headers["Authorization"] + "x"},
    ):
        client = socketio.AsyncClient(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(server, auth=auth, transports=["websocket"], wait_timeout=5)
        await client.disconnect()


async def test_send_before_join_is_refused(server: str, cast: ChatCast) -> None:
    cid = await _conversation(server, cast)
    async with connected(server, cast.buyer) as buyer:
        ack = await buyer.sio.call("send", {"conversation_id": cid, "text": "hi"}, timeout=5)
        assert ack["ok"] is False and ack["status"] == 404
        bad = await buyer.sio.call("join", {"conversation_id": "nope"}, timeout=5)
        assert bad["ok"] is False and bad["status"] == 422


async def test_reconnect_catches_up_without_loss(server: str, cast: ChatCast) -> None:
    cid = await _conversation(server, cast)
    async with connected(server, cast.owner) as owner:
        await owner.sio.call("join", {"conversation_id": cid}, timeout=5)
        async with connected(server, cast.buyer) as buyer:
            await buyer.sio.call("join", {"conversation_id": cid}, timeout=5)
            first = await owner.sio.call("send", {"conversation_id": cid, "text": "one"}, timeout=5)
            await buyer.wait_for("message")
            last_id = buyer.of("message")[-1]["id"]
        assert last_id == first["message"]["id"]
        # The buyer is offline while 120 messages go out (more than one catch-up page).
        texts = [f"offline {i}" for i in range(120)]
        for text in texts:
            ack = await owner.sio.call("send", {"conversation_id": cid, "text": text}, timeout=5)
            assert ack["ok"]
        async with connected(server, cast.buyer) as buyer:
            received: list[dict] = []
            since = last_id
            while True:
                ack = await buyer.sio.call(
                    "join", {"conversation_id": cid, "since": since}, timeout=5
                )
                received += ack["missed"]
                if not ack["more"]:
                    break
                since = ack["missed"][-1]["id"]
            live = await owner.sio.call("send", {"conversation_id": cid, "text": "back"}, timeout=5)
            await buyer.wait_for("message")
        assert [m["text"] for m in received] == texts
        assert [m["seq"] for m in received] == list(range(2, 122))
        assert buyer.of("message")[0]["id"] == live["message"]["id"]


async def test_two_processes_share_rooms_through_redis(settings: Settings, cast: ChatCast) -> None:
    env = {"REDIS_URL": REDIS_URL, "CHAT_UPLOAD_DIR": str(settings.chat_upload_dir)}
    with live_server(settings, **env) as a, live_server(settings, **env) as b:
        assert a != b
        cid = await _conversation(a, cast)
        async with (
            connected(a, cast.buyer) as buyer,
            connected(b, cast.owner) as owner,
            connected(b, cast.outsider) as outsider,
        ):
            await buyer.sio.call("join", {"conversation_id": cid}, timeout=5)
            await owner.sio.call("join", {"conversation_id": cid}, timeout=5)
            assert not (await outsider.sio.call("join", {"conversation_id": cid}, timeout=5))["ok"]
            ack = await buyer.sio.call("send", {"conversation_id": cid, "text": "via A"}, timeout=5)
            got = await owner.wait_for("message")
            assert got[0]["id"] == ack["message"]["id"]
            reply = await owner.sio.call(
                "send", {"conversation_id": cid, "text": "via B"}, timeout=5
            )
            back = await buyer.wait_for("message")
            assert [m["id"] for m in back] == [reply["message"]["id"]]
            await asyncio.sleep(0.3)
            assert outsider.events == []
