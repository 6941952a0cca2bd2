"""Helpers for the page tests: read the CSRF token of a page, log in through the form."""

from __future__ import annotations

import re

import httpx

from tests.conftest import PASSWORD, Caller

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def token(client: httpx.AsyncClient, path: str = "/login") -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


async def web_login(client: httpx.AsyncClient, caller: Caller) -> None:
    """Log in with the password form; the client keeps the session cookie."""
    csrf = await token(client)
    response = await client.post(
        "/login",
        data={"identifier": caller.user.email, "password": PASSWORD, "csrf_token": csrf},
    )
    assert response.status_code == 303, response.text


async def post_form(
    client: httpx.AsyncClient, path: str, data: dict[str, object], *, page: str | None = None
) -> httpx.Response:
    """POST a form with a fresh token taken from ``page`` (default: the home page)."""
    csrf = await token(client, page or "/")
    return await client.post(path, data={**data, "csrf_token": csrf})
