"""Browser tests: Playwright (Python) driving Debian's Chromium against a live uvicorn on a
free port, serving the suite's own test database.

Never ``playwright install``: the browser is ``/usr/bin/chromium`` (``apt-get install -y
chromium``; `make test` does it in CI). Where Playwright or Chromium is missing, every test
here is skipped with the reason. Each test collects console errors and failed requests and
fails on any; screenshots go to tests/e2e/artifacts/ (ignored by git).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from haat.config import Settings
from tests.conftest import PASSWORD, Caller
from tests.live import live_server as serve
from tests.payments.conftest import STRIPE_KEY
from tests.payments.fakes.server import serve as serve_fake
from tests.payments.fakes.stripe_api import FakeStripe

CHROMIUM = os.environ.get("HAAT_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

CSP_WATCH = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""

try:
    from playwright.async_api import Browser, Page, async_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    async_playwright = None


def _skip_reason() -> str | None:
    if async_playwright is None:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set HAAT_CHROMIUM)"
    return None


@pytest.fixture(scope="session")
def stripe_server() -> Iterator[tuple[FakeStripe, str]]:
    """The local Stripe fake (API and Checkout's hosted page) the live server pays through."""
    fake = FakeStripe(STRIPE_KEY)
    with serve_fake(fake.app) as url:
        yield fake, url


@pytest.fixture(scope="session")
def live_server(settings: Settings, stripe_server: tuple[FakeStripe, str]) -> Iterator[str]:
    reason = _skip_reason()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    # Many logins from one address in a few minutes; the limits themselves are tested in
    # tests/web/test_security.py.
    with serve(
        settings,
        PUBLIC_CACHE_TTL_S="0",
        REDIS_URL="",
        LOGIN_PER_IP_LIMIT="1000/minute",
        LOGIN_PER_ACCOUNT_LIMIT="1000/minute",
        STRIPE_SECRET_KEY=STRIPE_KEY,
        STRIPE_API_BASE=stripe_server[1],
    ) as base:
        yield base


@pytest.fixture(scope="session")
async def browser(live_server: str) -> AsyncIterator[Browser]:
    assert async_playwright is not None
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        await chromium.close()


@dataclass
class Session:
    """One browser context (one visitor) with its console watch and screenshots."""

    page: Page
    base: str
    name: str
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    async def go(self, path: str) -> None:
        response = await self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"

    async def shot(self, label: str) -> Path:
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path

    async def login(self, caller: Caller) -> None:
        await self.go("/login")
        await self.page.fill("#identifier", caller.user.email or "")
        await self.page.fill("#password", PASSWORD)
        async with self.page.expect_navigation():
            await self.page.click("form[action='/login'] button[type=submit]")
        assert "/login" not in self.page.url, "log in failed"


@pytest.fixture
async def visitor(
    browser: Browser, live_server: str, request: pytest.FixtureRequest
) -> AsyncIterator[Any]:
    """A factory of visitors: ``visitor(viewport=PHONE, locale="hi-IN")``. After the test,
    any console error, uncaught exception or failed request of theirs fails it."""
    sessions: list[Session] = []

    async def make(
        viewport: dict[str, int] | None = None, locale: str = "en-GB", tag: str = ""
    ) -> Session:
        context = await browser.new_context(viewport=viewport or DESKTOP, locale=locale)
        # Content-Security-Policy violations reported as console errors (Chromium logs most
        # of them itself; this catches every one, inline styles and handlers included).
        await context.add_init_script(CSP_WATCH)
        page = await context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
        name = re.sub(r"\W+", "-", request.node.name + (f"-{tag}" if tag else "")).strip("-")
        session = Session(page=page, base=live_server, name=name)

        def on_console(message: Any) -> None:
            if message.type == "error":
                session.problems.append(f"console: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: session.problems.append(f"page error: {exc}"))

        def on_failed(req: Any) -> None:
            # ERR_ABORTED is a request the browser itself dropped on navigating away.
            if "ERR_ABORTED" not in (req.failure or ""):
                session.problems.append(f"request failed: {req.url} {req.failure}")

        page.on("requestfailed", on_failed)
        sessions.append(session)
        return session

    yield make
    problems = [p for s in sessions for p in s.problems]
    for s in sessions:
        await s.page.context.close()
    assert problems == [], problems
