"""Phone OTP login: codes, expiry, attempt limit, resend cooldown, rate limits."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update

from haat.core.db import utcnow
from haat.identity.models import OtpChallenge, User
from tests.conftest import CapturingSms, Factory

PHONE = "+919812345678"


async def request_code(client: httpx.AsyncClient, phone: str = PHONE) -> httpx.Response:
    return await client.post("/api/auth/otp/request", json={"phone": phone})


async def verify(client: httpx.AsyncClient, code: str, phone: str = PHONE) -> httpx.Response:
    return await client.post("/api/auth/otp/verify", json={"phone": phone, "code": code})


async def test_first_verify_creates_the_account(
    client: httpx.AsyncClient, sms: CapturingSms, factory: Factory
) -> None:
    r = await request_code(client, "+91 98123-45678")
    assert r.status_code == 202
    assert r.json() == {"phone": PHONE, "expires_in": 300, "resend_after": 60}
    code = sms.last_code(PHONE)
    assert len(code) == 6 and code.isdigit()

    r = await verify(client, code)
    assert r.status_code == 200
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}
    )
    assert me.json()["phone"] == PHONE
    # The code is single-use.
    assert (await verify(client, code)).status_code == 401
    async with factory.session() as s:
        stored = (await s.scalars(select(OtpChallenge))).one()
        assert code not in stored.code_hash  # only an HMAC is kept
        users = (await s.scalars(select(User).where(User.phone == PHONE))).all()
        assert len(users) == 1 and users[0].phone_verified_at is not None


async def test_existing_phone_user_logs_in(
    client: httpx.AsyncClient, sms: CapturingSms, factory: Factory
) -> None:
    caller = await factory.user("kiran", phone=PHONE)
    await request_code(client)
    r = await verify(client, sms.last_code(PHONE))
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}
    )
    assert me.json()["id"] == str(caller.id)


async def test_invalid_phone_is_422(client: httpx.AsyncClient) -> None:
    for phone in ["12345", "+1 555", "not a phone"]:
        r = await request_code(client, phone)
        assert r.status_code == 422, phone
        assert r.json()["errors"][0]["loc"][-1] == "phone"
    r = await client.post("/api/auth/otp/verify", json={"phone": PHONE, "code": "12ab56"})
    assert r.status_code == 422


async def test_expired_code_is_refused(
    client: httpx.AsyncClient, sms: CapturingSms, factory: Factory
) -> None:
    await request_code(client)
    async with factory.session() as s:
        await s.execute(update(OtpChallenge).values(expires_at=utcnow() - timedelta(seconds=1)))
        await s.commit()
    r = await verify(client, sms.last_code(PHONE))
    assert r.status_code == 401 and r.json()["type"] == "invalid_otp"


async def test_five_wrong_attempts_kill_the_code(
    client: httpx.AsyncClient, sms: CapturingSms
) -> None:
    await request_code(client)
    code = sms.last_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    lefts = []
    for _ in range(5):
        r = await verify(client, wrong)
        assert r.status_code == 401
        lefts.append(r.json()["attempts_left"])
    assert lefts == [4, 3, 2, 1, 0]
    r = await verify(client, code)  # even the right code is refused now
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


async def test_resend_cooldown(client: httpx.AsyncClient, factory: Factory) -> None:
    assert (await request_code(client)).status_code == 202
    r = await request_code(client)
    assert r.status_code == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    async with factory.session() as s:  # a minute later a new code may be sent
        await s.execute(update(OtpChallenge).values(created_at=utcnow() - timedelta(seconds=61)))
        await s.commit()
    assert (await request_code(client)).status_code == 202


async def test_new_code_replaces_the_old_one(
    client: httpx.AsyncClient, sms: CapturingSms, factory: Factory
) -> None:
    await request_code(client)
    old = sms.last_code(PHONE)
    async with factory.session() as s:
        await s.execute(update(OtpChallenge).values(created_at=utcnow() - timedelta(seconds=61)))
        await s.commit()
    await request_code(client)
    new = sms.last_code(PHONE)
    if old != new:
        assert (await verify(client, old)).status_code == 401
    assert (await verify(client, new)).status_code == 200


async def test_per_phone_limit(client: httpx.AsyncClient, factory: Factory) -> None:
    statuses = []
    for _ in range(6):
        statuses.append((await request_code(client)).status_code)
        async with factory.session() as s:  # step past the cooldown, not past the hourly limit
            await s.execute(
                update(OtpChallenge).values(created_at=utcnow() - timedelta(seconds=61))
            )
            await s.commit()
    assert statuses == [202] * 5 + [429]


async def test_per_ip_limit(client: httpx.AsyncClient) -> None:
    statuses = [(await request_code(client, f"+9198123456{i:02d}")).status_code for i in range(21)]
    assert statuses[:20] == [202] * 20
    assert statuses[20] == 429


async def test_fixed_code_only_in_dev() -> None:
    from haat.config import Settings
    from haat.identity.otp import _new_code

    def settings(env: str) -> Settings:
        return Settings(haat_env=env, secret_key="k" * 40)  # type: ignore[arg-type]

    assert _new_code(settings("dev")) == "123456"
    codes = {_new_code(settings("test")) for _ in range(20)}
    assert len(codes) > 1
