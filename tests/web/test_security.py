"""Page security: the session cookie, CSRF refusals, the CSP and other headers, escaping,
log-out invalidation and the login rate limit shared with the API."""

from __future__ import annotations

import httpx

from haat.identity.models import PlatformRole
from haat.web.security import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, Factory
from tests.web.conftest import csrf_of, post_form, token, web_login


async def test_session_cookie_flags(client: httpx.AsyncClient, factory: Factory) -> None:
    user = await factory.user("lena")
    csrf = await token(client)
    response = await client.post(
        "/login", data={"identifier": user.user.email, "password": PASSWORD, "csrf_token": csrf}
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("haat_session=")
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # HAAT_ENV=test; production adds Secure (test below)


def test_cookie_is_secure_in_production() -> None:
    from haat.app import create_app
    from haat.config import Settings

    app = create_app(
        Settings(
            haat_env="production",
            secret_key="p" * 40,
            database_url="sqlite+aiosqlite:///:memory:",
        )
    )
    session = next(m for m in app.user_middleware if m.cls.__name__ == "SessionMiddleware")
    assert session.kwargs["https_only"] is True
    assert session.kwargs["same_site"] == "lax"


async def test_post_without_token_is_refused(client: httpx.AsyncClient, factory: Factory) -> None:
    user = await factory.user("lena")
    await client.get("/login")
    data = {"identifier": user.user.email, "password": PASSWORD}
    missing = await client.post("/login", data=data)
    assert missing.status_code == 403
    assert "text/html" in missing.headers["content-type"]
    forged = await client.post("/login", data={**data, "csrf_token": "A" * 86})
    assert forged.status_code == 403
    garbage = await client.post("/login", data={**data, "csrf_token": "not base64 !"})
    assert garbage.status_code == 403
    # A token from another visitor's session does not work in this one.
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with other:
        foreign = await token(other)
    assert (await client.post("/login", data={**data, "csrf_token": foreign})).status_code == 403


async def test_htmx_header_token_is_accepted(client: httpx.AsyncClient, factory: Factory) -> None:
    market = await factory.business(await factory.user("potter"))
    vase = await factory.product(market)
    await web_login(client, await factory.user("buyer"))
    csrf = await token(client, f"/products/{vase.id}")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf}
    response = await client.post(f"/products/{vase.id}/favorite", data={}, headers=headers)
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.text
    refused = await client.post(
        f"/products/{vase.id}/favorite", data={}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 403


async def test_tokens_are_masked_per_page(client: httpx.AsyncClient) -> None:
    first, second = await token(client), await token(client)
    assert first != second  # same secret, fresh pad: no repeated bytes for BREACH


async def test_csp_and_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    # No inline script or style anywhere in our markup.
    assert "<script>" not in response.text and " style=" not in response.text
    assert " onclick=" not in response.text
    # The API keeps its JSON, without a page CSP.
    api = await client.get("/api/health")
    assert "content-security-policy" not in api.headers


async def test_gzip(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/web/haat.css", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"


async def test_logout_invalidates_a_copied_cookie(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    user = await factory.user("lena")
    await web_login(client, user)
    stolen = client.cookies.get("haat_session")
    assert (await client.get("/orders")).status_code == 200
    page = await client.get("/orders")
    await client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    thief = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    async with thief:
        thief.cookies.set("haat_session", stolen or "")
        response = await thief.get("/orders")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


async def test_disabled_user_is_logged_out(client: httpx.AsyncClient, factory: Factory) -> None:
    from haat.identity import admin

    user = await factory.user("lena")
    staff = await factory.user("staff", role=PlatformRole.ADMIN)
    await web_login(client, user)
    assert (await client.get("/orders")).status_code == 200
    async with factory.session() as s:
        await admin.update_user(s, staff.actor, user.id, is_active=False)
        await s.commit()
    assert (await client.get("/orders")).status_code == 303


async def test_login_rate_limit_is_shared_with_the_api(
    client: httpx.AsyncClient, factory: Factory, settings: object
) -> None:
    """The per-account limit (10/minute) counts API and page attempts together."""
    user = await factory.user("lena")
    for _ in range(6):
        r = await client.post(
            "/api/auth/login", json={"identifier": user.user.email, "password": "wrong-one"}
        )
        assert r.status_code == 401
    statuses = []
    for _ in range(5):
        csrf = await token(client)
        r = await client.post(
            "/login",
            data={"identifier": user.user.email, "password": "wrong-one", "csrf_token": csrf},
        )
        statuses.append(r.status_code)
    assert statuses[:4] == [401, 401, 401, 401]
    assert statuses[4] == 429
    assert "Retry-After" in r.headers


async def test_open_redirect_is_refused(client: httpx.AsyncClient, factory: Factory) -> None:
    user = await factory.user("lena")
    csrf = await token(client)
    response = await client.post(
        "/login",
        data={
            "identifier": user.user.email,
            "password": PASSWORD,
            "csrf_token": csrf,
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


async def test_text_is_escaped(client: httpx.AsyncClient, factory: Factory) -> None:
    shop = await factory.business(await factory.user("potter"))
    evil = "<script>alert(1)</script>"
    product = await factory.product(shop, title=evil, description=evil)
    page = await client.get(f"/products/{product.id}")
    assert evil not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    search = await client.get("/search", params={"q": '"><script>x()</script>'})
    assert "<script>x()" not in search.text


async def test_post_form_helper_round_trip(client: httpx.AsyncClient) -> None:
    response = await post_form(client, "/language", {"language": "ta", "next": "/"})
    assert response.status_code == 303
    assert 'lang="ta"' in (await client.get("/")).text
