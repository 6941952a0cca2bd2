"""Sign up, log in (password or phone OTP), log out, and the language switcher."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form
from fastapi.responses import RedirectResponse, Response

from haat.config import Settings
from haat.core.deps import ClientIp, DbSession, provided
from haat.core.errors import HaatError
from haat.core.i18n import SUPPORTED_LANGUAGES
from haat.core.phone import normalize_e164
from haat.core.ratelimit import RateLimiter
from haat.core.sms import SmsSender
from haat.identity import otp
from haat.identity import service as identity
from haat.identity.models import User
from haat.identity.schemas import MePatch, RegisterIn
from haat.web import prices
from haat.web.forms import validate
from haat.web.messages import error_message
from haat.web.routes import page_router
from haat.web.templating import render
from haat.web.viewer import (
    CurrentViewer,
    Viewer,
    end_session,
    remember_language,
    safe_next,
    start_session,
)

router = page_router()
Text = Annotated[str, Form(max_length=500)]
OptionalText = Annotated[str, Form(max_length=500)]


def _settings(viewer: Viewer) -> Settings:
    return provided(Settings)(viewer.request)


def _limiter(viewer: Viewer) -> RateLimiter:
    return provided(RateLimiter)(viewer.request)


async def _signed_in(viewer: Viewer, session: DbSession, user: User, next_url: str) -> Response:
    family = await identity.open_page_session(session, _settings(viewer), user)
    start_session(viewer.request, user, family)
    return RedirectResponse(safe_next(next_url), status_code=303)


async def _refused(viewer: Viewer, session: DbSession, exc: HaatError) -> str:
    """Undo the request's writes (unless the error keeps them) and say why."""
    if not exc.keep_changes:
        await session.rollback()
    return error_message(viewer, exc.code, exc.detail, exc.status)


@router.get("/login")
async def login_page(viewer: CurrentViewer, next: str = "/") -> Response:
    return render(viewer, "account/login.html", {"next": safe_next(next)})


@router.post("/login")
async def login(
    viewer: CurrentViewer,
    session: DbSession,
    ip: ClientIp,
    identifier: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=128)] = "",
    next: OptionalText = "/",
) -> Response:
    try:
        user = await identity.authenticate(
            session, _settings(viewer), _limiter(viewer), identifier, password, ip
        )
    except HaatError as exc:
        error = await _refused(viewer, session, exc)
        context = {"next": safe_next(next), "error": error, "identifier": identifier}
        return render(
            viewer, "account/login.html", context, status_code=exc.status, headers=exc.headers
        )
    return await _signed_in(viewer, session, user, next)


@router.post("/login/otp")
async def otp_request(
    viewer: CurrentViewer,
    session: DbSession,
    ip: ClientIp,
    phone: Annotated[str, Form(max_length=32)] = "",
    next: OptionalText = "/",
) -> Response:
    """Send a code, then show the form to type it."""
    context: dict[str, object] = {"next": safe_next(next), "phone": phone}
    try:
        e164 = normalize_e164(phone)
    except ValueError:
        context["otp_error"] = viewer.gettext("This is not a valid phone number.")
        return render(viewer, "account/login.html", context, status_code=422)
    try:
        await otp.request_code(
            session,
            _settings(viewer),
            _limiter(viewer),
            provided(SmsSender)(viewer.request),
            e164,
            ip,
        )
    except HaatError as exc:
        context["otp_error"] = await _refused(viewer, session, exc)
        return render(
            viewer, "account/login.html", context, status_code=exc.status, headers=exc.headers
        )
    return render(viewer, "account/otp.html", {"next": safe_next(next), "phone": e164})


@router.post("/login/otp/verify")
async def otp_verify(
    viewer: CurrentViewer,
    session: DbSession,
    ip: ClientIp,
    phone: Annotated[str, Form(max_length=32)] = "",
    code: Annotated[str, Form(max_length=12)] = "",
    next: OptionalText = "/",
) -> Response:
    try:
        e164 = normalize_e164(phone)
        if not (len(code.strip()) == 6 and code.strip().isdigit()):
            raise ValueError("a code is six digits")
    except ValueError:
        context = {"next": safe_next(next), "phone": phone}
        context["error"] = viewer.gettext("The code is wrong or has expired.")
        return render(viewer, "account/otp.html", context, status_code=422)
    try:
        user = await otp.verify(
            session, _settings(viewer), _limiter(viewer), e164, code.strip(), ip
        )
    except HaatError as exc:
        context = {"next": safe_next(next), "phone": e164}
        context["error"] = await _refused(viewer, session, exc)
        return render(
            viewer, "account/otp.html", context, status_code=exc.status, headers=exc.headers
        )
    return await _signed_in(viewer, session, user, next)


@router.get("/signup")
async def signup_page(viewer: CurrentViewer) -> Response:
    return render(viewer, "account/signup.html", {"values": {}, "invalid": set()})


@router.post("/signup")
async def signup(
    viewer: CurrentViewer,
    session: DbSession,
    ip: ClientIp,
    full_name: Text = "",
    email: Text = "",
    phone: Text = "",
    password: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    values = {"full_name": full_name.strip(), "email": email.strip(), "phone": phone.strip()}
    data = {
        **{k: v or None for k, v in values.items()},
        "full_name": values["full_name"],
        "password": password,
        "preferred_language": viewer.lang.code,
    }
    body, invalid = validate(RegisterIn, data)
    context: dict[str, object] = {"values": values, "invalid": invalid}
    if body is None:
        context["error"] = error_message(viewer, "validation_error", "", 422)
        return render(viewer, "account/signup.html", context, status_code=422)
    try:
        user = await identity.register(session, _settings(viewer), _limiter(viewer), body, ip)
    except HaatError as exc:
        context["error"] = await _refused(viewer, session, exc)
        return render(
            viewer, "account/signup.html", context, status_code=exc.status, headers=exc.headers
        )
    viewer.flash(viewer.gettext("Welcome to Haat! Your account is ready."))
    return await _signed_in(viewer, session, user, "/")


@router.post("/logout")
async def logout(viewer: CurrentViewer, session: DbSession) -> Response:
    family = end_session(viewer.request)
    if family is not None:
        await identity.close_page_session(session, family)
    return RedirectResponse("/", status_code=303)


@router.post("/currency")
async def change_currency(
    viewer: CurrentViewer,
    session: DbSession,
    currency: Annotated[str, Form(max_length=3)] = "",
    next: OptionalText = "/",
) -> Response:
    """The currency switcher (prices shown approximately in it): saved in the profile when
    signed in, in the session otherwise."""
    if currency in prices.DISPLAY_CURRENCIES:
        if viewer.user is not None:
            patch = MePatch(currency=currency)
            await identity.update_me(session, viewer.user.id, patch)
        else:
            prices.remember_currency(viewer, currency)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/language")
async def change_language(
    viewer: CurrentViewer,
    session: DbSession,
    language: Annotated[str, Form(max_length=8)] = "en",
    next: OptionalText = "/",
) -> Response:
    """The switcher: saved in the profile when signed in, in the session otherwise."""
    if language in SUPPORTED_LANGUAGES:
        if viewer.user is not None:
            patch = MePatch(preferred_language=language)
            await identity.update_me(session, viewer.user.id, patch)
        else:
            remember_language(viewer.request, language)
    return RedirectResponse(safe_next(next), status_code=303)
