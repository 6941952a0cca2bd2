"""The Jinja2 environment of the pages and the one function that renders them.

Autoescaping is on for every template (``.html``), so any text from the database is escaped;
nothing is marked safe. Strings go through gettext with the i18n extension (``newstyle``:
placeholders are escaped too), and the callables read the page's catalogue from the template
context, so concurrent requests in different languages never share state.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from haat.core.i18n import SUPPORTED_LANGUAGES
from haat.web.formatting import FILTERS
from haat.web.i18n import LANGUAGE_NAMES
from haat.web.prices import DISPLAY_CURRENCIES, display_currency
from haat.web.viewer import Viewer

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_URL = "/static/web"


@pass_context
def _gettext(ctx: Context, message: str) -> str:
    return str(ctx["lang"].translations.gettext(message))


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return str(ctx["lang"].translations.ngettext(singular, plural, n))


@pass_context
def _pgettext(ctx: Context, context: str, message: str) -> str:
    return str(ctx["lang"].translations.pgettext(context, message))


@pass_context
def _npgettext(ctx: Context, context: str, singular: str, plural: str, n: int) -> str:
    return str(ctx["lang"].translations.npgettext(context, singular, plural, n))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    env.filters.update(FILTERS)
    env.globals.update(
        static=STATIC_URL,
        new_key=lambda: uuid.uuid4().hex,
        display_currencies=DISPLAY_CURRENCIES,  # a form's one-off Idempotency-Key
        languages=[(code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LANGUAGES],
    )
    return env


environment = _environment()


def render(
    viewer: Viewer,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render ``template`` for ``viewer``: the page gets ``viewer``, ``user``, ``lang``,
    ``csrf`` (a fresh masked token), ``flashes``, ``request`` and ``htmx`` (an HTMX request
    wants only the fragment) besides ``context``."""
    request = viewer.request
    values = {
        "viewer": viewer,
        "user": viewer.user,
        "lang": viewer.lang,
        "csrf": viewer.csrf(),
        "request": request,
        "htmx": request.headers.get("hx-request") == "true",
        "flashes": viewer.take_flashes(),
        "display_currency": display_currency(viewer),
        **(context or {}),
    }
    html = environment.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    # Pages depend on the session (user, language, CSRF token): never cached by a proxy.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Accept-Language"  # SessionMiddleware adds Cookie
    return response
