"""The assistant widget on the storefront pages: present on storefront pages only, answered
by the same service as the API (HTMX fragment or a full page), session kept in the cookie,
its limit said in the widget, and the page's language used for the answer."""

from __future__ import annotations

import re
from typing import Any

import httpx

from haat.catalog.models import ProductStatus
from tests.conftest import Factory
from tests.web.conftest import csrf_of, post_form, token, web_login

HTMX = {"HX-Request": "true"}


async def _ask(client: httpx.AsyncClient, message: str, csrf: str) -> httpx.Response:
    return await client.post(
        "/assistant", data={"message": message}, headers={**HTMX, "X-CSRF-Token": csrf}
    )


async def _catalogue(factory: Factory) -> dict[str, Any]:
    owner = await factory.user("owner")
    shop = await factory.business(owner, name="Jaipur Blue Pottery Collective")
    vase = await factory.product(shop, title="Jaipur blue pottery vase", stock_quantity=3)
    draft = await factory.product(
        shop, title="Jaipur blue pottery vase draft", status=ProductStatus.DRAFT
    )
    return {"owner": owner, "shop": shop, "vase": vase, "draft": draft}


async def test_the_widget_is_on_storefront_pages_only(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    data = await _catalogue(factory)
    for path in ("/", "/search?q=vase", f"/products/{data['vase'].id}", "/login"):
        page = await client.get(path)
        assert 'hx-post="/assistant"' in page.text, path
        assert "/static/web/assistant.js" in page.text
    await web_login(client, data["owner"])
    portal = await client.get(f"/seller/{data['shop'].id}/products")
    assert portal.status_code == 200 and 'hx-post="/assistant"' not in portal.text
    script = await client.get("/static/web/assistant.js")
    assert script.status_code == 200 and "htmx:afterRequest" in script.text


async def test_asking_through_the_widget(client: httpx.AsyncClient, factory: Factory) -> None:
    data = await _catalogue(factory)
    csrf = await token(client, "/")
    r = await _ask(client, "is the blue pottery vase in stock", csrf)
    assert r.status_code == 200
    assert "<html" not in r.text  # a fragment for the log
    assert "Yes: Jaipur blue pottery vase is in stock (3 available)" in r.text
    assert f'href="/products/{data["vase"].id}"' in r.text
    assert str(data["draft"].id) not in r.text and "vase draft" not in r.text
    assert "Questions left in this conversation: 4" in r.text
    # The conversation continues in the cookie's session, down to its limit.
    for left in (3, 2, 1, 0):
        r = await _ask(client, "vase", csrf)
        assert f"Questions left in this conversation: {left}" in r.text
    r = await _ask(client, "vase", csrf)
    assert r.status_code == 200 and "assistant-error" in r.text
    assert "You have asked 5 questions in this conversation" in r.text
    r = await client.post("/assistant/new", headers={**HTMX, "X-CSRF-Token": csrf})
    assert r.status_code == 200
    r = await _ask(client, "vase", csrf)
    assert "Questions left in this conversation: 4" in r.text


async def test_the_answer_follows_the_page_language_and_works_without_htmx(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    await _catalogue(factory)
    r = await post_form(client, "/language", {"language": "de", "next": "/"})
    assert r.status_code == 303
    r = await post_form(client, "/assistant", {"message": "blue pottery vase"})
    assert r.status_code == 200
    assert '<html lang="de' in r.text  # a whole page without HTMX
    assert "Das habe ich zu „blue pottery vase“ gefunden:" in r.text
    assert "Verbleibende Fragen in diesem Gespräch: 4" in r.text


async def test_the_widget_needs_the_csrf_token(client: httpx.AsyncClient) -> None:
    home = await client.get("/")
    assert csrf_of(home.text)
    r = await client.post("/assistant", data={"message": "vase"}, headers=HTMX)
    assert r.status_code == 403
    assert not re.search(r"Questions left", r.text)
