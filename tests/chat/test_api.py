"""REST: conversations, history with cursors, unread counts, read receipts, images, and who
may see what (404 for everyone who does not take part)."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from haat.catalog.models import ProductStatus
from tests.chat.conftest import ChatCast, open_conversation
from tests.conftest import Factory


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


async def _send(client: httpx.AsyncClient, cid: str, who: dict[str, str], text: str) -> dict:
    r = await client.post(
        f"/api/chat/conversations/{cid}/messages", json={"text": text}, headers=who
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_conversation_flow_unread_and_read_receipts(
    client: httpx.AsyncClient, cast: ChatCast
) -> None:
    cid = await open_conversation(client, cast)
    assert await open_conversation(client, cast) == cid  # the same triple, the same one
    m1 = await _send(client, cid, cast.buyer.headers, "Ist dieser Schal noch verfügbar?")
    assert m1["seq"] == 1 and m1["language"] == "de" and m1["translated"] is False
    await _send(client, cid, cast.buyer.headers, "Und was kostet der Versand nach Berlin?")

    mine = (await client.get("/api/chat/conversations", headers=cast.owner.headers)).json()
    assert mine["total"] == 1
    item = mine["items"][0]
    assert item["unread"] == 2 and item["last_message"]["seq"] == 2
    assert item["buyer_name"] == "Buyer" and item["business_name"] == "Srinagar Shawls"
    # The viewer (any role) answers for the business too.
    viewer = (await client.get("/api/chat/conversations", headers=cast.viewer.headers)).json()
    assert viewer["items"][0]["unread"] == 2
    buyer = (await client.get("/api/chat/conversations", headers=cast.buyer.headers)).json()
    assert buyer["items"][0]["unread"] == 0  # a sender has read what they sent

    r = await client.post(
        f"/api/chat/conversations/{cid}/read", json={"seq": 1}, headers=cast.owner.headers
    )
    assert r.status_code == 200 and r.json()["unread"] == 1
    # Never backwards, capped at the latest message.
    r = await client.post(
        f"/api/chat/conversations/{cid}/read", json={"seq": 0}, headers=cast.owner.headers
    )
    assert r.json()["last_read_seq"] == 1
    r = await client.post(
        f"/api/chat/conversations/{cid}/read", json={"seq": 99}, headers=cast.owner.headers
    )
    assert r.json()["last_read_seq"] == 2 and r.json()["unread"] == 0
    await _send(client, cid, cast.owner.headers, "हाँ, उपलब्ध है। 12,500 रुपये।")
    receipts = (
        await client.get(f"/api/chat/conversations/{cid}/reads", headers=cast.buyer.headers)
    ).json()
    by_user = {r["user_id"]: r for r in receipts}
    assert by_user[str(cast.owner.id)]["last_read_seq"] == 3
    assert by_user[str(cast.buyer.id)]["unread"] == 1


async def test_history_cursor_and_since(client: httpx.AsyncClient, cast: ChatCast) -> None:
    cid = await open_conversation(client, cast)
    sent = [await _send(client, cid, cast.buyer.headers, f"message {i}") for i in range(1, 8)]
    url = f"/api/chat/conversations/{cid}/messages"
    page = (await client.get(url, params={"limit": 3}, headers=cast.owner.headers)).json()
    assert [m["seq"] for m in page["items"]] == [5, 6, 7] and page["next_before"] == 5
    page = (
        await client.get(url, params={"limit": 3, "before": 5}, headers=cast.owner.headers)
    ).json()
    assert [m["seq"] for m in page["items"]] == [2, 3, 4] and page["next_before"] == 2
    page = (
        await client.get(url, params={"limit": 3, "before": 2}, headers=cast.owner.headers)
    ).json()
    assert [m["seq"] for m in page["items"]] == [1] and page["next_before"] is None
    since = (
        await client.get(url, params={"since": sent[3]["id"]}, headers=cast.owner.headers)
    ).json()
    assert [m["seq"] for m in since["items"]] == [5, 6, 7]


async def test_limits_of_a_message(client: httpx.AsyncClient, cast: ChatCast) -> None:
    cid = await open_conversation(client, cast)
    url = f"/api/chat/conversations/{cid}/messages"
    r = await client.post(url, json={"text": "x" * 4001}, headers=cast.buyer.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][-1] == "text"
    r = await client.post(url, json={"text": "x" * 4000}, headers=cast.buyer.headers)
    assert r.status_code == 201
    r = await client.post(url, json={"text": ""}, headers=cast.buyer.headers)
    assert r.status_code == 422


async def test_authorization_matrix(client: httpx.AsyncClient, cast: ChatCast) -> None:
    cid = await open_conversation(client, cast)
    sent = await _send(client, cid, cast.buyer.headers, "hello")
    base = f"/api/chat/conversations/{cid}"
    calls = [
        ("GET", f"{base}/messages", None),
        ("POST", f"{base}/messages", {"text": "let me in"}),
        ("POST", f"{base}/read", {}),
        ("GET", f"{base}/reads", None),
    ]
    for who in (cast.outsider, cast.admin):  # platform staff do not read private chats
        for method, url, body in calls:
            r = await client.request(method, url, json=body, headers=who.headers)
            assert r.status_code == 404, (who.user.full_name, method, url, r.text)
        listed = (await client.get("/api/chat/conversations", headers=who.headers)).json()
        assert listed["total"] == 0
    for method, url, body in calls:
        r = await client.request(method, url, json=body)
        assert r.status_code == 401
    r = await client.get(
        f"{base}/messages", params={"since": sent["id"]}, headers=cast.owner.headers
    )
    assert r.status_code == 200
    # Nothing the outsider tried was stored.
    history = (await client.get(f"{base}/messages", headers=cast.owner.headers)).json()
    assert [m["text"] for m in history["items"]] == ["hello"]


async def test_opening_rules(client: httpx.AsyncClient, cast: ChatCast, factory: Factory) -> None:
    draft = await factory.product(cast.business, status=ProductStatus.DRAFT)
    approved = await factory.product(cast.business)
    other_business = await factory.business(cast.outsider, name="Elsewhere")
    foreign = await factory.product(other_business)
    body = {"business_id": str(cast.business.id)}
    for product in (draft, foreign):
        r = await client.post(
            "/api/chat/conversations",
            json={**body, "product_id": str(product.id)},
            headers=cast.buyer.headers,
        )
        assert r.status_code == 404
    r = await client.post(
        "/api/chat/conversations",
        json={**body, "product_id": str(approved.id)},
        headers=cast.buyer.headers,
    )
    assert r.status_code == 201 and r.json()["product_id"] == str(approved.id)
    r = await client.post("/api/chat/conversations", json=body, headers=cast.owner.headers)
    assert r.status_code == 422  # a member does not open a chat with their own business
    r = await client.post(
        "/api/chat/conversations",
        json={"business_id": "00000000-0000-0000-0000-000000000000"},
        headers=cast.buyer.headers,
    )
    assert r.status_code == 404


async def test_images_are_private(client: httpx.AsyncClient, cast: ChatCast, settings) -> None:  # type: ignore[no-untyped-def]
    cid = await open_conversation(client, cast)
    r = await client.post(
        f"/api/chat/conversations/{cid}/images",
        files={"file": ("photo.png", _png(), "image/png")},
        data={"text": "Like this one?"},
        headers=cast.buyer.headers,
    )
    assert r.status_code == 201, r.text
    message = r.json()
    assert message["image_width"] == 64 and message["text"] == "Like this one?"
    url = message["image_url"]
    got = await client.get(url, headers=cast.owner.headers)
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    assert got.headers["cache-control"].startswith("private")
    thumb = await client.get(url, params={"thumbnail": "true"}, headers=cast.viewer.headers)
    assert thumb.status_code == 200
    assert (await client.get(url, headers=cast.outsider.headers)).status_code == 404
    assert (await client.get(url)).status_code == 401
    # Not under the public media folder, so no /media/ URL can list or serve it.
    stored = sorted(p.name for p in (settings.chat_upload_dir / cid).iterdir())
    assert len(stored) == 2 and all(name.endswith(".jpg") for name in stored)
    assert not any(p.name in stored for p in settings.upload_dir.rglob("*.jpg"))
    assert (await client.get(f"/media/{cid}/{stored[0]}")).status_code == 404
    r = await client.post(
        f"/api/chat/conversations/{cid}/images",
        files={"file": ("x.png", b"not an image", "image/png")},
        headers=cast.buyer.headers,
    )
    assert r.status_code == 415


@pytest.mark.parametrize("limit", ["2/minute"])
async def test_send_rate_limit(client: httpx.AsyncClient, cast: ChatCast, app, limit: str) -> None:  # type: ignore[no-untyped-def]
    original = app.state.wiring.settings.chat_send_limit
    app.state.wiring.settings.chat_send_limit = limit
    try:
        cid = await open_conversation(client, cast)
        url = f"/api/chat/conversations/{cid}/messages"
        for _ in range(2):
            assert (
                await client.post(url, json={"text": "hi"}, headers=cast.buyer.headers)
            ).status_code == 201
        r = await client.post(url, json={"text": "hi"}, headers=cast.buyer.headers)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    finally:
        app.state.wiring.settings.chat_send_limit = original
