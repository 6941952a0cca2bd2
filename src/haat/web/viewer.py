"""Who is looking at a page: the signed-in user from the session cookie (or nobody), the
`Actor` the services authorize, and the page's language."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import URL

from haat.businesses.service import member_business_ids
from haat.core.deps import DbSession
from haat.identity import service as identity
from haat.identity.actor import Actor
from haat.identity.models import PlatformRole, User
from haat.web import i18n
from haat.web.security import cookie, csrf_token, rotate_csrf

_USER = "uid"
_FAMILY = "fam"
_LANGUAGE = "lang"
_FLASH = "flash"


@dataclass(frozen=True)
class SignedInUser:
    """What a page knows of its signed-in user: a copy taken when the request starts, so it
    stays readable after the request's database session has ended (error pages)."""

    id: uuid.UUID
    full_name: str
    email: str | None
    phone: str | None
    country: str | None
    preferred_language: str
    platform_role: PlatformRole
    currency: str  # the profile's display currency (ISO 4217)

    @classmethod
    def of(cls, user: User) -> SignedInUser:
        return cls(
            id=user.id,
            full_name=user.full_name,
            email=user.email,
            phone=user.phone,
            country=user.country,
            preferred_language=user.preferred_language,
            platform_role=user.platform_role,
            currency=user.currency,
        )


@dataclass
class Viewer:
    """The request's visitor. ``user`` is None for anonymous visitors."""

    request: Request
    user: SignedInUser | None
    lang: i18n.Language
    business_count: int = 0  # businesses the user belongs to (the seller portal's link)

    @cached_property
    def actor(self) -> Actor:
        """The visitor as services see them, one per request (its memberships load once)."""
        if self.user is None:
            return Actor.anonymous()
        return Actor(
            user_id=self.user.id,
            platform_role=self.user.platform_role,
            currency=self.user.currency,
            language=self.user.preferred_language,
        )

    @property
    def is_admin(self) -> bool:
        return self.actor.is_platform_admin

    def gettext(self, message: str) -> str:
        """``message`` in the page's language (marked for extraction by the name)."""
        return self.lang.translations.gettext(message)

    def csrf(self) -> str:
        return csrf_token(self.request)

    def flash(self, message: str, kind: str = "ok") -> None:
        """A message shown once on the next page (after a redirect)."""
        data = cookie(self.request)
        data[_FLASH] = [*list(data.get(_FLASH, []))[-4:], [kind, message]]

    def take_flashes(self) -> list[tuple[str, str]]:
        data = cookie(self.request)
        if _FLASH not in data:
            return []
        return [(k, m) for k, m in data.pop(_FLASH)]

    def login_url(self) -> str:
        """The log-in page, coming back here afterwards."""
        return str(URL("/login").include_query_params(next=local_path(self.request)))


def local_path(request: Request) -> str:
    """The request's path and query, to come back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(value: Any, default: str = "/") -> str:
    """A same-site path to go to after a form (never another host: ``//evil`` is refused)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 32 for c in value):
        return default
    return value


def start_session(request: Request, user: User | SignedInUser, family_id: uuid.UUID) -> None:
    """Bind the cookie to a new login (and a new CSRF secret)."""
    data = cookie(request)
    flashes = data.get(_FLASH)
    data.clear()
    data.update({_USER: str(user.id), _FAMILY: str(family_id)})
    if flashes:
        data[_FLASH] = flashes
    rotate_csrf(request)


def end_session(request: Request) -> uuid.UUID | None:
    """Forget the login; returns its family id (to revoke)."""
    data = cookie(request)
    family = data.get(_FAMILY)
    data.clear()
    rotate_csrf(request)
    try:
        return uuid.UUID(family) if family else None
    except ValueError:
        return None


def remember_language(request: Request, code: str) -> None:
    """The switcher's choice for an anonymous visitor (signed-in users keep it in their
    profile)."""
    cookie(request)[_LANGUAGE] = code


async def _session_user(request: Request, session: DbSession) -> SignedInUser | None:
    data = cookie(request)
    uid, family = data.get(_USER), data.get(_FAMILY)
    if not uid or not family:
        return None
    try:
        user_id, family_id = uuid.UUID(uid), uuid.UUID(family)
    except (ValueError, TypeError):
        data.clear()
        return None
    user = await identity.page_session_user(session, user_id, family_id)
    if user is None:  # logged out elsewhere, disabled or expired
        data.clear()
        return None
    return SignedInUser.of(user)


def choose_language(request: Request, user: SignedInUser | None) -> i18n.Language:
    """The user's profile language (formatted for their country), else the switcher's choice
    for anonymous visitors, else the best of ``Accept-Language``, else English."""
    accepted = i18n.parse_accept_language(request.headers.get("accept-language"))
    if user is not None:
        same = accepted is not None and accepted[0] == user.preferred_language
        region = user.country or (accepted[1] if accepted and same else None)
        return i18n.language(user.preferred_language, region)
    chosen = cookie(request).get(_LANGUAGE)
    if isinstance(chosen, str):
        region = accepted[1] if accepted and accepted[0] == chosen else None
        return i18n.language(chosen, region)
    if accepted:
        return i18n.language(*accepted)
    return i18n.language(None)


async def get_viewer(request: Request, session: DbSession) -> Viewer:
    """The request's `Viewer` (a page's dependency, `CurrentViewer`); kept on the request
    for its error page."""
    user = await _session_user(request, session)
    viewer = Viewer(request=request, user=user, lang=choose_language(request, user))
    if user is not None:
        viewer.business_count = len(await member_business_ids(session, viewer.actor))
    request.state.viewer = viewer
    return viewer


CurrentViewer = Annotated[Viewer, Depends(get_viewer)]
