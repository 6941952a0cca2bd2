"""The chat pages: open a conversation from a product, send without JavaScript, the list with
unread badges in the storefront and the seller portal, the socket token, private images."""

from __future__ import annotations

import httpx

from haat.core.security import decode_access_token
from tests.chat.conftest import ChatCast
from tests.conftest import Factory
from tests.web.conftest import post_form, web_login


async def test_buyer_and_seller_pages(
    client: httpx.AsyncClient, app, cast: ChatCast, factory: Factory, settings
) -> None:  # type: ignore[no-untyped-def]
    product = await factory.product(cast.business)
    await web_login(client, cast.buyer)
    page = await client.get(f"/products/{product.id}")
    assert "Dem Verkäufer schreiben" in page.text  # the buyer reads German
    r = await post_form(
        client,
        "/chat/start",
        {"business_id": str(cast.business.id), "product_id": str(product.id)},
        page=f"/products/{product.id}",
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/chat/")
    path = r.headers["location"]
    r = await post_form(client, path, {"text": "<b>Ist das Pashmina?</b>"}, page=path)
    assert r.status_code == 303
    talk = await client.get(path)
    assert talk.status_code == 200
    assert "&lt;b&gt;Ist das Pashmina?&lt;/b&gt;" in talk.text  # escaped, never markup
    assert 'src="/static/web/vendor/socket.io.min.js"' in talk.text
    # The floating shopping assistant would sit over the message box on a phone.
    assert 'hx-post="/assistant"' not in talk.text
    token = (await client.get("/chat/token")).json()["token"]
    claims = decode_access_token(settings.secret_key, settings.jwt_algorithm, token)
    assert claims["sub"] == str(cast.buyer.id)

    client.cookies.clear()
    await web_login(client, cast.owner)
    listing = await client.get(f"/seller/{cast.business.id}/chat")
    assert listing.status_code == 200 and "Buyer" in listing.text
    assert 'data-unread="1"' in listing.text
    assert f'href="/seller/{cast.business.id}/chat" aria-current="page"' in listing.text
    mine = await client.get("/chat")
    assert 'data-unread="1"' in mine.text
    await client.get(path)  # reading the conversation marks it read
    assert 'data-unread="0"' in (await client.get("/chat")).text


async def test_outsiders_get_404_and_anonymous_a_login(
    client: httpx.AsyncClient, cast: ChatCast
) -> None:
    r = await client.post(
        "/api/chat/conversations",
        json={"business_id": str(cast.business.id)},
        headers=cast.buyer.headers,
    )
    cid = r.json()["id"]
    assert (await client.get(f"/chat/{cid}")).status_code == 303  # to /login
    assert (await client.get("/chat/token")).status_code == 303
    await web_login(client, cast.outsider)
    assert (await client.get(f"/chat/{cid}")).status_code == 404
    assert (await client.get(f"/seller/{cast.business.id}/chat")).status_code == 404
