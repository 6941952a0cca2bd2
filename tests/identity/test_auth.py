"""`/api/auth`: registration, password login, refresh rotation, logout, profile."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import PASSWORD, Factory

PROBLEM = "application/problem+json"


async def register(client: httpx.AsyncClient, **overrides: object) -> httpx.Response:
    body = {"email": "meera@example.com", "password": "s3cret-pass", "full_name": "Meera"}
    body.update(overrides)
    return await client.post("/api/auth/register", json=body)


async def login(client: httpx.AsyncClient, identifier: str, password: str) -> httpx.Response:
    return await client.post(
        "/api/auth/login", json={"identifier": identifier, "password": password}
    )


async def test_register_then_login_and_read_profile(client: httpx.AsyncClient) -> None:
    r = await register(client, phone="+91 98123 45678", preferred_language="hi", currency="inr")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["phone"] == "+919812345678"
    assert body["currency"] == "INR" and body["platform_role"] == "buyer"
    assert "password" not in r.text

    r = await login(client, "Meera@Example.com", "s3cret-pass")
    assert r.status_code == 200
    tokens = r.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
    assert tokens["refresh_expires_in"] == 30 * 24 * 3600

    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["preferred_language"] == "hi"

    by_phone = await login(client, "+919812345678", "s3cret-pass")
    assert by_phone.status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"phone": "+91 12"}, "phone"),
        ({"preferred_language": "xx"}, "preferred_language"),
        ({"currency": "ABC"}, "currency"),
        ({"country": "QQ"}, "country"),
        ({"full_name": ""}, "full_name"),
    ],
)
async def test_register_validation_names_the_field(
    client: httpx.AsyncClient, overrides: dict[str, object], field: str
) -> None:
    r = await register(client, **overrides)
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert any(e["loc"][-1] == field for e in r.json()["errors"]), r.json()


async def test_register_needs_email_or_phone(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/auth/register", json={"password": "s3cret-pass", "full_name": "X"})
    assert r.status_code == 422


async def test_duplicate_account_is_409(client: httpx.AsyncClient) -> None:
    assert (await register(client)).status_code == 201
    r = await register(client, email="MEERA@example.com")
    assert r.status_code == 409 and r.json()["type"] == "account_exists"


async def test_unknown_user_and_wrong_password_look_the_same(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    caller = await factory.user("asha")
    wrong = await login(client, caller.user.email or "", "not-the-password")
    unknown = await login(client, "nobody@example.com", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    for key in ("type", "title", "detail"):
        assert wrong.json()[key] == unknown.json()[key]
    assert (await login(client, caller.user.email or "", PASSWORD)).status_code == 200


async def test_login_is_rate_limited_per_account(client: httpx.AsyncClient) -> None:
    statuses = [
        (await login(client, "victim@example.com", f"guess-{i}")).status_code for i in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    r = await login(client, "victim@example.com", "again")
    assert int(r.headers["Retry-After"]) > 0
    assert r.headers["content-type"] == PROBLEM


async def test_refresh_rotates_and_reuse_revokes_the_family(client: httpx.AsyncClient) -> None:
    await register(client)
    first = (await login(client, "meera@example.com", "s3cret-pass")).json()
    r = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]

    # The first token again: theft suspected, so the whole family dies, including `second`.
    reuse = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    after = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401


async def test_logout_revokes_refresh_token(client: httpx.AsyncClient) -> None:
    await register(client)
    tokens = (await login(client, "meera@example.com", "s3cret-pass")).json()
    r = await client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 204
    r = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401
    # Logging out twice is harmless.
    r = await client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 204


async def test_me_requires_a_valid_token(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/auth/me")).status_code == 401
    r = await client.get("/api/auth/me", headers={"Authorization": "Bearer nonsense"})
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM


async def test_update_me(client: httpx.AsyncClient, factory: Factory) -> None:
    caller = await factory.user("ravi")
    r = await client.patch(
        "/api/auth/me",
        headers=caller.headers,
        json={
            "full_name": "Ravi K",
            "preferred_language": "ta",
            "currency": "EUR",
            "country": "de",
        },
    )
    assert r.status_code == 200
    assert r.json()["preferred_language"] == "ta" and r.json()["country"] == "DE"
    bad = await client.patch("/api/auth/me", headers=caller.headers, json={"currency": "XYZ"})
    assert bad.status_code == 422


async def test_disabled_user_token_stops_working(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    caller = await factory.user("gone")
    async with factory.session() as s:
        user = await s.get(type(caller.user), caller.id)
        assert user is not None
        user.is_active = False
        await s.commit()
    assert (await client.get("/api/auth/me", headers=caller.headers)).status_code == 401


async def test_sign_ups_are_rate_limited_per_ip(client: httpx.AsyncClient) -> None:
    statuses = [
        (await register(client, email=f"user{i}@example.com")).status_code for i in range(21)
    ]
    assert statuses == [201] * 20 + [429]
